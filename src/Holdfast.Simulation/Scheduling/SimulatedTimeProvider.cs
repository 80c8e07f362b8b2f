namespace Holdfast.Simulation.Scheduling;

/// <summary>
/// A <see cref="TimeProvider"/> on the scheduler's virtual clock. Timers (and so <c>Task.Delay(span, time)</c>
/// and <c>CancellationTokenSource</c> timeouts) become scheduler events; their callbacks run on the scheduler.
/// Timestamps are virtual ticks, so elapsed-time measurements are virtual too.
/// </summary>
public sealed class SimulatedTimeProvider(SimulationScheduler scheduler) : TimeProvider
{
    public SimulationScheduler Scheduler { get; } = scheduler;

    public override DateTimeOffset GetUtcNow() => Scheduler.Now;

    public override long GetTimestamp() => Scheduler.Now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimulatedTimer(Scheduler, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }
}
