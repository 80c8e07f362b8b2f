namespace Holdfast.Simulation.RetryStorm;

/// <summary>
/// How one client policy fared: peak offered load ÷ baseline, the most work queued at the backend, and the
/// time from DNS healing until goodput is back to 90% of baseline for a whole second (null if never). The
/// series holds offered load and goodput per second.
/// </summary>
public sealed record RetryPolicyOutcome(
    string Policy,
    double BaselinePerSecond,
    double PeakAmplification,
    long MaxQueued,
    TimeSpan? GoodputRecovery,
    IReadOnlyList<(TimeSpan At, double Offered, double Goodput)> Series)
{
    /// <summary>Backend work spent on attempts whose clients had already timed out.</summary>
    public long WastedWork { get; init; }
}
