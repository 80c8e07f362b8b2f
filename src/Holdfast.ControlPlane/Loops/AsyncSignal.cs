namespace Holdfast.ControlPlane.Loops;

/// <summary>
/// A wake-up that waiters await with a timeout on an injected clock. <see cref="Set"/> moves <see cref="Version"/> and
/// wakes every waiter; a waiter that read the version together with its condition (under its owner's lock) and then
/// waits from that version misses no wake-up. Thread-safe.
/// </summary>
/// <remarks>
/// Each wait awaits its own task directly, with no combinator (<c>Task.WhenAny</c>, <c>WaitAsync</c>) in between:
/// combinators complete on the thread pool, which would take the simulator's continuations off its one thread. The
/// timeout is a timer of the injected <see cref="TimeProvider"/>, so virtual time ends it in the simulator.
/// </remarks>
public sealed class AsyncSignal
{
    private readonly Lock _lock = new();
    private readonly List<TaskCompletionSource> _waiters = [];
    private long _version;

    /// <summary>How many times the signal was set.</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Wakes every waiter (outside the signal's lock).</summary>
    public void Set()
    {
        TaskCompletionSource[] woken;
        lock (_lock)
        {
            _version++;
            woken = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in woken)
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>
    /// Completes when the signal is set after <paramref name="sinceVersion"/> (at once if it already was), or after
    /// <paramref name="maxWait"/> on <paramref name="time"/>. Never throws on timeout; throws on cancellation.
    /// </summary>
    public async Task WaitAsync(long sinceVersion, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_version != sinceVersion)
            {
                return;
            }

            _waiters.Add(waiter);
        }

        using var timer = time.CreateTimer(_ => waiter.TrySetResult(), null, maxWait < TimeSpan.Zero ? TimeSpan.Zero : maxWait, Timeout.InfiniteTimeSpan);
        using var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
        try
        {
            await waiter.Task;
        }
        finally
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }
        }
    }
}
