using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also counts its armed timers, for the few tests that must wait until the code
/// under test has started waiting before they move the clock, or check that nothing is left waiting.
/// </summary>
/// <remarks>
/// A timer counts while it has a due time: from creation (or <see cref="ITimer.Change"/>) with a finite due time until it
/// fires as a one-shot, is changed to an infinite due time, or is disposed. A periodic timer counts until then.
/// Everything else, including when callbacks run, is <see cref="FakeTimeProvider"/>'s.
/// </remarks>
public sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _armedTimers;

    /// <summary>Timers armed now. Thread-safe.</summary>
    public int ArmedTimers => Volatile.Read(ref _armedTimers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Arm the count before the base creates the timer: FakeTimeProvider fires a zero due time inside CreateTimer.
        var counted = new CountedTimer(this, callback);
        counted.Arm(dueTime, period);
        counted.Inner = base.CreateTimer(counted.Fire, state, dueTime, period);
        return counted;
    }

    private sealed class CountedTimer(TimerCountingTimeProvider owner, TimerCallback callback) : ITimer
    {
        private readonly Lock _lock = new();
        private bool _armed;
        private bool _periodic;
        private bool _disposed;

        public ITimer? Inner { get; set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                // FakeTimeProvider, like System.Threading.Timer, treats a zero or infinite period as a one-shot.
                _periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
                SetArmedLocked(dueTime != Timeout.InfiniteTimeSpan);
            }
        }

        public void Fire(object? state)
        {
            lock (_lock)
            {
                if (!_periodic)
                {
                    SetArmedLocked(false);
                }
            }

            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                SetArmedLocked(false);
            }

            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void SetArmedLocked(bool armed)
        {
            if (armed != _armed)
            {
                _armed = armed;
                Interlocked.Add(ref owner._armedTimers, armed ? 1 : -1);
            }
        }
    }
}
