using Holdfast.ControlPlane.Guardrails;

namespace Holdfast.ControlPlane.Planning;

/// <summary>How the planner loop paces itself and when it suspects its monitors. The defaults suit 100,000 endpoints.</summary>
public sealed record PlannerOptions
{
    /// <summary>
    /// Time between full passes over every endpoint, the safety net that converges any state a lost event left behind.
    /// Default 5 minutes.
    /// </summary>
    public TimeSpan FullPassInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Each full-pass interval is ± this fraction, at random, 0 to 1. Default 0.2.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>After a wake-up, wait this long (× 0.5 to 1.5, at random) so that a burst of health changes becomes one batch. Default 5 ms.</summary>
    public TimeSpan WakeDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Endpoints per store transaction, 1 to 100,000 (<c>planner.batchSize</c>). Default 512.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>The longest single wait on the change feed (the store wakes it on every change). Default 30 s.</summary>
    public TimeSpan FeedWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every this many full passes, plan every endpoint even where the inputs are what they were when it was last
    /// planned (the passes in between skip those). 1 makes every full pass thorough; at most 1000. Default 4.
    /// </summary>
    public int ThoroughEvery { get; init; } = 4;

    public SelfPreservationSettings SelfPreservation { get; init; } = new();

    /// <summary>The name recorded as the actor of planner decisions. Default "planner".</summary>
    public string Actor { get; init; } = "planner";
}
