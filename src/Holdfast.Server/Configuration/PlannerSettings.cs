namespace Holdfast.Server.Configuration;

/// <summary>The <c>planner</c> section: how often the planner and the enactors run.</summary>
public sealed record PlannerSettings
{
    /// <summary>Time between planning passes (<c>planner.interval</c>). Default 1 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time between each enactor's passes (<c>planner.enactorInterval</c>). Default 1 s.</summary>
    public TimeSpan EnactorInterval { get; init; } = TimeSpan.FromSeconds(1);
}
