namespace Holdfast.ControlPlane.Enactment;

/// <summary>How an enactor paces itself. The defaults suit 100,000 endpoints on one machine.</summary>
public sealed record EnactorOptions
{
    /// <summary>
    /// Time between full passes, the level-triggered safety net that finds pending work a lost wake-up left behind
    /// (bounding how long it can wait). Default 5 minutes.
    /// </summary>
    public TimeSpan FullPassInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Each full-pass interval is ± this fraction, at random, so enactors do not march in step. 0 to 1. Default 0.2.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>After a wake-up, wait this long (× 0.5 to 1.5, at random) so that a burst becomes one batch. Default 5 ms.</summary>
    public TimeSpan WakeDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Endpoints per store transaction, 1 to 100,000 (<c>planner.batchSize</c>). Default 512.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>The longest single wait on the change feed (the store wakes it on every change). Default 30 s.</summary>
    public TimeSpan FeedWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Cleanup keeps this many applied-once plans below the applied one (K; <c>guardrails.keepPlans</c>, 1 to 10,000). Default 5.</summary>
    public int KeepPlans { get; init; } = 5;
}
