namespace Holdfast.Simulation.Scheduling;

/// <summary>
/// One component's wall clock, off by <see cref="Skew"/> from virtual time (clock skew between machines).
/// Timers are durations, so they run on the shared virtual clock unchanged.
/// </summary>
public sealed class SkewedTimeProvider(TimeProvider inner, TimeSpan skew) : TimeProvider
{
    public TimeSpan Skew { get; } = skew;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Skew;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
