namespace Holdfast.Server.Configuration;

/// <summary>
/// The <c>planner</c> section: how the event-driven planner and enactors batch their work, and how often their full
/// passes (the safety net that converges whatever an event missed) run.
/// </summary>
public sealed record PlannerSettings
{
    /// <summary>Time between the planner's full passes (<c>planner.fullPassInterval</c>). Default 5 minutes.</summary>
    public TimeSpan FullPassInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time between each enactor's full passes (<c>planner.enactorFullPassInterval</c>). Default 5 minutes.</summary>
    public TimeSpan EnactorFullPassInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the planner, woken by a health change, waits for more before it plans the batch (<c>planner.wakeDelay</c>,
    /// × 0.5 to 1.5): a burst becomes one batch. Enactors keep their own 5 ms. Default 5 ms.
    /// </summary>
    public TimeSpan WakeDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Endpoints per store transaction (<c>planner.batchSize</c>). Default 512.</summary>
    public int BatchSize { get; init; } = 512;
}
