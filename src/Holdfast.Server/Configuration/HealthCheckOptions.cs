using System.Collections.Immutable;

namespace Holdfast.Server.Configuration;

/// <summary>
/// A target's health check: <c>kind: http</c> with <c>url</c> (GET, 2xx is up) or <c>kind: tcp</c> with
/// <c>port</c> (connect to the target's address), or <c>kind: external</c> when only the named external
/// sources report on it. Every health source of the same kind runs it unless <see cref="Sources"/> names some.
/// </summary>
public sealed record HealthCheckOptions
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
}
