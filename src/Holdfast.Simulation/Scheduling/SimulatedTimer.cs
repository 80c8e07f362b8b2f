namespace Holdfast.Simulation.Scheduling;

/// <summary>An <see cref="ITimer"/> whose ticks are scheduler events. Changing or disposing it cancels the pending tick.</summary>
internal sealed class SimulatedTimer(SimulationScheduler scheduler, TimerCallback callback, object? state) : ITimer
{
    private ScheduledEvent? _pending;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _disposed;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }

        _pending?.Cancel();
        _pending = null;
        _period = period;
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Arm(dueTime);
        }

        return true;
    }

    private void Arm(TimeSpan due) => _pending = scheduler.Schedule(due, Tick);

    private void Tick()
    {
        if (_disposed)
        {
            return;
        }

        _pending = null;
        // A zero or infinite period means one-shot; a positive one re-arms before the callback runs.
        if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
        {
            Arm(_period);
        }

        callback(state);
    }

    public void Dispose()
    {
        _disposed = true;
        _pending?.Cancel();
        _pending = null;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
