using System.Collections.Immutable;

namespace Holdfast.ControlPlane.Model;

/// <summary>
/// A target's health check, part of its desired state (so that every node sees it in the control store):
/// <c>kind: http</c> with <see cref="Url"/> (GET, 2xx is up), <c>kind: tcp</c> with <see cref="Port"/> (connect to
/// the target's address), or <c>kind: external</c> when only the named external sources report on it. Every health
/// source of the check's kind runs it unless <see cref="Sources"/> names some.
/// </summary>
public sealed record HealthCheck
{
    public required HealthCheckKind Kind { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Http"/>: absolute http:// URL.</summary>
    public Uri? Url { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Tcp"/>: 1..65535.</summary>
    public int? Port { get; init; }

    /// <summary>Names of the sources that vote on this target; empty = every source of the check's kind. External sources vote only where named.</summary>
    public ImmutableArray<string> Sources { get; init; } = [];

    /// <summary>How many fresh sources must agree; null = a majority of the target's sources.</summary>
    public int? Quorum { get; init; }

    /// <summary>Value equality, <see cref="Sources"/> element by element.</summary>
    public bool Equals(HealthCheck? other) =>
        other is not null && Kind == other.Kind && Url == other.Url && Port == other.Port && Quorum == other.Quorum &&
        Sources.AsSpan().SequenceEqual(other.Sources.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Kind, Url, Port, Quorum, Sources.Length);
}
