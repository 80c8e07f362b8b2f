namespace Holdfast.Health.Aggregation;

/// <summary>How observations become a target's aggregated health. <c>holdfast.yaml</c>'s <c>health</c> section binds to it directly. Call <see cref="Validate"/> at start-up.</summary>
public sealed record HealthAggregationOptions
{
    /// <summary>
    /// A source is fresh for a target while its last observation is at most this many of its
    /// <see cref="Sources.HealthSourceOptions.Interval"/>s old; a stale source is unknown, never down. At least 1. Default 3.
    /// </summary>
    public double FreshnessIntervals { get; set; } = 3;

    /// <summary>
    /// A quorum must have said down for at least this long before the target is down, so that one bad
    /// moment (a deploy, a GC pause on the monitor) does not pull a target. Zero or more. Default 10 s.
    /// </summary>
    public TimeSpan DownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A newly configured target cannot be down until this long after it was added (it is unknown, and
    /// unknown serves) unless it has been up since. Zero or more. Default 30 s.
    /// </summary>
    public TimeSpan NewTargetGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A copy, so that a caller changing its options object later cannot change a running one unvalidated.</summary>
    internal HealthAggregationOptions Copy() => this with { };

    /// <summary>Every problem, each naming the key under <paramref name="key"/> ("health.aggregation"); empty when valid.</summary>
    public IReadOnlyList<string> Validate(string key)
    {
        var errors = new List<string>();
        if (double.IsNaN(FreshnessIntervals) || FreshnessIntervals < 1 || FreshnessIntervals > 1000)
        {
            errors.Add($"{key}.freshnessIntervals: expected a number from 1 to 1000, got {FreshnessIntervals}");
        }

        if (DownGrace < TimeSpan.Zero)
        {
            errors.Add($"{key}.downGrace: expected zero or a positive duration, got {DownGrace}");
        }

        if (NewTargetGrace < TimeSpan.Zero)
        {
            errors.Add($"{key}.newTargetGrace: expected zero or a positive duration, got {NewTargetGrace}");
        }

        return errors;
    }
}
