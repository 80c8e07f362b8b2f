namespace Holdfast.Health.Observations;

/// <summary>What one check (or one external report) saw.</summary>
public enum ObservationState
{
    /// <summary>The target answered as expected (HTTP 2xx, TCP connected).</summary>
    Up,

    /// <summary>The target failed: timeout, connection refused or reset, HTTP 5xx, prober error.</summary>
    Down,

    /// <summary>
    /// The target answered, but not as a healthy target should: HTTP 1xx/3xx/4xx or a body without the
    /// expected text. Usually a misconfigured check rather than a failed target, so it counts as neither
    /// up nor down in the quorum (see <see cref="Aggregation.HealthAggregator"/>).
    /// </summary>
    Unexpected,
}
