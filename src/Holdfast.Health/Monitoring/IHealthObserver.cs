using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Observations;

namespace Holdfast.Health.Monitoring;

/// <summary>
/// What health reports as it works: the host logs and counts it (metric tags: source, state — bounded).
/// Called on the reporting thread, outside the aggregator's lock; implementations must be quick and must not throw.
/// </summary>
public interface IHealthObserver
{
    /// <summary>An observation was accepted from <paramref name="source"/>.</summary>
    void Observed(string source, string endpoint, string targetId, ObservationState state, string? reason);

    /// <summary>A target's aggregated state changed from <paramref name="previous"/> to <c>status.Health.State</c>.</summary>
    void TargetHealthChanged(TargetStatus status, HealthState previous);

    /// <summary>A prober threw instead of returning a result; the check was recorded as down ("prober error: …").</summary>
    void ProberFailed(string source, string endpoint, string targetId, Exception exception);
}
