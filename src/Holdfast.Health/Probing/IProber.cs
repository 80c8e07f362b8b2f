using Holdfast.Health.Aggregation;

namespace Holdfast.Health.Probing;

/// <summary>
/// Checks one target once. A failing target is a result (<see cref="ProbeResult.Down"/>), not an exception;
/// an exception means the prober itself broke, and <see cref="Monitoring.HealthMonitor"/> records it as down
/// with "prober error: …". Thread-safe: one prober serves every target of its source concurrently.
/// </summary>
public interface IProber
{
    /// <summary>Checks <paramref name="check"/>; completes within the source's timeout (plus scheduling). Cancelled only by <paramref name="cancellationToken"/>.</summary>
    Task<ProbeResult> ProbeAsync(TargetCheck check, CancellationToken cancellationToken);
}
