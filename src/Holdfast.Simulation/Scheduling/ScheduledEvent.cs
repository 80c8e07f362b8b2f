namespace Holdfast.Simulation.Scheduling;

/// <summary>A timer entry of the <see cref="SimulationScheduler"/>; cancelling leaves it in the queue, skipped when due.</summary>
public sealed class ScheduledEvent(DateTimeOffset due, Action work)
{
    public DateTimeOffset Due { get; } = due;

    public Action Work { get; } = work;

    public bool IsCancelled { get; private set; }

    public void Cancel() => IsCancelled = true;
}
