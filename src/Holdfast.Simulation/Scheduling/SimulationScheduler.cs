namespace Holdfast.Simulation.Scheduling;

/// <summary>
/// The discrete-event scheduler: one thread, virtual time, and two queues — work ready now (async
/// continuations posted through <see cref="SimulationSynchronizationContext"/>, in FIFO order) and timers
/// due later (ordered by due time, then by the order they were set). Time jumps to the next timer only when
/// nothing is ready, so the same inputs always run the same events in the same order.
/// </summary>
/// <remarks>
/// Not thread-safe by design: everything runs on the thread that called <see cref="RunUntil"/>. Work posted
/// from any other thread means an async continuation escaped to the thread pool — determinism is lost —
/// and is recorded in <see cref="EscapedWork"/> so that the run can be failed rather than trusted.
/// </remarks>
public sealed class SimulationScheduler
{
    private readonly Queue<Action> _ready = new();
    private readonly PriorityQueue<ScheduledEvent, (long Ticks, long Sequence)> _timers = new();
    private readonly Lock _lock = new();
    private long _sequence;
    private int _ownerThread = -1;

    public SimulationScheduler(DateTimeOffset start)
    {
        Now = start;
        Start = start;
        Context = new SimulationSynchronizationContext(this);
    }

    public DateTimeOffset Start { get; }

    /// <summary>Virtual now. Moves only inside <see cref="RunUntil"/>.</summary>
    public DateTimeOffset Now { get; private set; }

    public TimeSpan Elapsed => Now - Start;

    public SimulationSynchronizationContext Context { get; }

    /// <summary>Events run so far (ready work and timers).</summary>
    public long EventsRun { get; private set; }

    /// <summary>Work posted from a thread other than the scheduler's while it ran (should stay 0).</summary>
    public int EscapedWork { get; private set; }

    /// <summary>Queues <paramref name="work"/> to run at the current virtual time, after work already queued.</summary>
    public void Post(Action work)
    {
        lock (_lock)
        {
            if (_ownerThread != -1 && Environment.CurrentManagedThreadId != _ownerThread)
            {
                EscapedWork++;
            }

            _ready.Enqueue(work);
        }
    }

    /// <summary>Runs <paramref name="work"/> at <c>Now + delay</c> (negative delays count as zero).</summary>
    public ScheduledEvent Schedule(TimeSpan delay, Action work)
    {
        lock (_lock)
        {
            var due = Now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
            var entry = new ScheduledEvent(due, work);
            _timers.Enqueue(entry, (due.UtcTicks, ++_sequence));
            return entry;
        }
    }

    /// <summary>
    /// Runs events in order until virtual time would pass <paramref name="end"/> (then Now = end), calling
    /// <paramref name="afterEvent"/> after each. Returns false if <paramref name="maxEvents"/> ran out first
    /// (a livelock: work that keeps posting work without time moving).
    /// </summary>
    public bool RunUntil(DateTimeOffset end, Action? afterEvent = null, long maxEvents = long.MaxValue)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(Context);
        _ownerThread = Environment.CurrentManagedThreadId;
        try
        {
            while (EventsRun < maxEvents)
            {
                Action? work = null;
                lock (_lock)
                {
                    if (_ready.Count > 0)
                    {
                        work = _ready.Dequeue();
                    }
                    else if (_timers.TryPeek(out var next, out _) && next.Due <= end)
                    {
                        _timers.Dequeue();
                        if (next.IsCancelled)
                        {
                            continue;
                        }

                        Now = next.Due;
                        work = next.Work;
                    }
                }

                if (work is null)
                {
                    Now = end > Now ? end : Now;
                    return true;
                }

                EventsRun++;
                work();
                afterEvent?.Invoke();
            }

            return false;
        }
        finally
        {
            _ownerThread = -1;
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}
