namespace Holdfast.Health.Monitoring;

/// <summary>How <see cref="HealthMonitor"/> runs its probers.</summary>
public sealed class HealthMonitorOptions
{
    /// <summary>At most this many checks run at once, across all sources and targets; the rest wait their turn. 1 to 10000. Default 64.</summary>
    public int MaxConcurrentProbes { get; set; } = 64;

    /// <summary>Every problem, each naming the key under <paramref name="key"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string key) =>
        MaxConcurrentProbes is < 1 or > 10000
            ? [$"{key}.maxConcurrentProbes: expected 1 to 10000, got {MaxConcurrentProbes}"]
            : [];
}
