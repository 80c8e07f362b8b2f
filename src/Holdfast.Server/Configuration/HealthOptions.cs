namespace Holdfast.Server.Configuration;

/// <summary>The <c>health</c> section: how observations of several sources combine into a target's health.</summary>
public sealed record HealthOptions
{
    /// <summary>A source is fresh while it reported within this many of its intervals. Default 3.</summary>
    public double FreshnessIntervals { get; init; } = 3;

    /// <summary>A quorum must say down for this long before the target is down. Default 10 s.</summary>
    public TimeSpan DownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A new target stays unknown (serving) this long unless it comes up first. Default 30 s.</summary>
    public TimeSpan NewTargetGrace { get; init; } = TimeSpan.FromSeconds(30);
}
