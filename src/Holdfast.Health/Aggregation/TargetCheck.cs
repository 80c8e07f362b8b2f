using System.Net;

namespace Holdfast.Health.Aggregation;

/// <summary>
/// How one target of one endpoint is checked, and by which sources. Keyed by (<see cref="Endpoint"/>,
/// <see cref="TargetId"/>), the same key as <see cref="ControlPlane.Model.HealthView"/>.
/// </summary>
/// <param name="Endpoint">The endpoint's fully qualified name, as in <see cref="ControlPlane.Model.EndpointSpec.Name"/>.</param>
/// <param name="TargetId">The target's id within the endpoint.</param>
public sealed record TargetCheck(string Endpoint, string TargetId)
{
    /// <summary>The URL an <see cref="Sources.HealthSourceKind.Http"/> source GETs (absolute http or https). Null when the target has no HTTP check.</summary>
    public Uri? HttpUrl { get; init; }

    /// <summary>When set, an HTTP 2xx response whose body lacks this text (ordinal) is <see cref="Observations.ObservationState.Unexpected"/>.</summary>
    public string? ExpectBodyContains { get; init; }

    /// <summary>The address a <see cref="Sources.HealthSourceKind.Tcp"/> source connects to. Null when the target has no TCP check.</summary>
    public IPEndPoint? TcpEndpoint { get; init; }

    /// <summary>
    /// Names of the sources that vote on this target. Empty (the default) means every active source that
    /// has something to check here: the http sources when <see cref="HttpUrl"/> is set and the tcp sources
    /// when <see cref="TcpEndpoint"/> is set. External sources vote only where named, so that a monitor
    /// that reports on a few targets does not count as silent (and block the quorum) on all the others.
    /// </summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>
    /// How many fresh sources must agree for the target to be up or down. Null (the default) means a
    /// majority of the target's sources: 1 of 1, 2 of 2, 2 of 3, 3 of 4.
    /// </summary>
    public int? Quorum { get; init; }

    /// <summary>The key of this target in <see cref="ControlPlane.Model.HealthView"/>.</summary>
    public string Key => ControlPlane.Model.HealthView.Key(Endpoint, TargetId);

    /// <summary>Value equality, including <see cref="Sources"/> element by element.</summary>
    public bool Equals(TargetCheck? other) =>
        other is not null &&
        Endpoint == other.Endpoint &&
        TargetId == other.TargetId &&
        HttpUrl == other.HttpUrl &&
        ExpectBodyContains == other.ExpectBodyContains &&
        Equals(TcpEndpoint, other.TcpEndpoint) &&
        Sources.SequenceEqual(other.Sources) &&
        Quorum == other.Quorum;

    public override int GetHashCode() => HashCode.Combine(Endpoint, TargetId, HttpUrl, TcpEndpoint, Quorum);
}
