using System.Diagnostics.Metrics;

namespace Holdfast.Push;

/// <summary>
/// The push path's instruments, created on the meter the host exports (so that they appear at <c>/metrics</c> beside the
/// rest; docs/push.md lists them). Tags are bounded: <c>target</c> (one per configured target) and <c>result</c>.
/// </summary>
public sealed class PushMetrics
{
    public PushMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        Updates = meter.CreateCounter<long>("holdfast.push.updates", "{update}", "UPDATE outcomes and decisions per push target: result is pushed, repaired, conflict, held, failed.");
        UpdateDuration = meter.CreateHistogram<double>("holdfast.push.update.duration", "s", "Time from sending an UPDATE to its verified answer, per push target.");
    }

    public Counter<long> Updates { get; }

    public Histogram<double> UpdateDuration { get; }
}
