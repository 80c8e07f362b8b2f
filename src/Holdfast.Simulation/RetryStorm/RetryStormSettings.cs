namespace Holdfast.Simulation.RetryStorm;

/// <summary>The client population, the backend and the retry policies of the retry-storm model.</summary>
public sealed record RetryStormSettings
{
    /// <summary>New requests per second from the whole population (the baseline offered load).</summary>
    public double RequestsPerSecond { get; init; } = 50;

    /// <summary>Requests the backend completes per second.</summary>
    public double BackendPerSecond { get; init; } = 75;

    /// <summary>A client gives up waiting on a response after this; the backend still does the work (wasted).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Model resolution.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per request, the first included, for the backoff policy.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Holdfast.Client retry budget: retries per request within the window (a bounded fraction of extra load).</summary>
    public double RetryBudgetRatio { get; init; } = 0.1;

    /// <summary>Retries the budget allows per second whatever the ratio (its minimum rate).</summary>
    public double RetryBudgetMinPerSecond { get; init; } = 1;

    /// <summary>
    /// The budget's window. Shorter than the library's 10 s default: a window's allowance can be spent within one
    /// second, and this scenario judges the peak second, so the window bounds the burst (see RetryStormScenario).
    /// </summary>
    public TimeSpan RetryBudgetWindow { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(5);
}
