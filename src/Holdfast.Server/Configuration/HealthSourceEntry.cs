using Holdfast.ControlPlane.Model;
namespace Holdfast.Server.Configuration;

/// <summary>
/// One entry of <c>healthSources</c>. An <c>http</c> or <c>tcp</c> source probes every target whose check has
/// its kind; an <c>external</c> source only receives <c>POST /api/v1/health/observations</c>.
/// </summary>
public sealed record HealthSourceEntry
{
    public required string Name { get; init; }

    public required HealthCheckKind Kind { get; init; }

    /// <summary>Time between probes of one target. Default 2 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A probe slower than this fails. Default 1 s; must be below the interval.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive successes before this source calls a target up. Default 2.</summary>
    public int Rise { get; init; } = 2;

    /// <summary>Consecutive failures before this source calls a target down. Default 3.</summary>
    public int Fall { get; init; } = 3;
}
