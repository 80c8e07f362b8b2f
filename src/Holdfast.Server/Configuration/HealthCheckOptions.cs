namespace Holdfast.Server.Configuration;

/// <summary>
/// A target's health check: <c>kind: http</c> with <c>url</c> (GET, 2xx is up) or <c>kind: tcp</c> with
/// <c>port</c> (connect to the target's address). Every health source of the same kind runs it.
/// </summary>
public sealed record HealthCheckOptions
{
    public required HealthCheckKind Kind { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Http"/>: absolute http:// URL.</summary>
    public Uri? Url { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Tcp"/>: 1..65535.</summary>
    public int? Port { get; init; }
}
