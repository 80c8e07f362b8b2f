using Holdfast.Client;
using Holdfast.Client.Retries;
using Holdfast.Simulation.Scheduling;

namespace Holdfast.Simulation.RetryStorm;

/// <summary>
/// A client population in front of a capacity-limited backend, resolving its name through DNS that
/// disappears for a while. Counts, not individual clients, move through it tick by tick on the virtual
/// scheduler: new requests arrive, attempts fail fast while DNS is down, otherwise join the backend's FIFO
/// queue; the backend serves a fixed rate; a queued attempt older than the timeout has failed for its
/// client (who may retry) but still costs the backend when its turn comes (work queued on timeouts). The
/// backoff and the budget are Holdfast.Client's own classes on the scheduler's clock, not a model of them.
/// </summary>
public sealed class RetryStormModel(RetryStormSettings settings, ClientRetryPolicy policy, Random random, TimeSpan outageStart, TimeSpan outageEnd)
{
    private readonly LinkedList<Batch> _queue = new();
    private readonly SortedDictionary<long, Dictionary<int, long>> _retries = [];
    private readonly List<(TimeSpan At, double Offered, double Goodput)> _series = [];
    private LinkedListNode<Batch>? _firstAlive;
    private FullJitterBackoff? _backoff;
    private RetryBudget? _budget;
    private long _tick;
    private double _arrivalCarry;
    private double _serviceCarry;
    private long _queued;
    private long _maxQueued;
    private long _wasted;
    private double _offeredThisSecond;
    private double _goodThisSecond;

    public RetryPolicyOutcome Run()
    {
        var scheduler = new SimulationScheduler(World.SimulationWorld.StartTime);
        _backoff = new FullJitterBackoff(settings.BackoffBase, settings.BackoffCap, new SeededRandom(random));
        _budget = policy == ClientRetryPolicy.BackoffWithBudget
            ? new RetryBudget(new RetryBudgetOptions { RetryRatio = settings.RetryBudgetRatio, MinRetriesPerSecond = settings.RetryBudgetMinPerSecond, Window = settings.RetryBudgetWindow }, new SimulatedTimeProvider(scheduler))
            : null;
        void Step()
        {
            Tick(scheduler.Elapsed);
            scheduler.Schedule(settings.Tick, Step);
        }

        scheduler.Schedule(TimeSpan.Zero, Step);
        scheduler.RunUntil(scheduler.Start + settings.Duration);
        var baseline = settings.RequestsPerSecond;
        var peak = _series.Count == 0 ? 0 : _series.Max(s => s.Offered) / baseline;
        TimeSpan? recovery = null;
        for (var i = 0; i + 2 < _series.Count; i++)
        {
            if (_series[i].At >= outageEnd && _series.Skip(i).Take(3).All(s => s.Goodput >= 0.9 * baseline))
            {
                recovery = _series[i].At - outageEnd;
                break;
            }
        }

        var name = policy switch
        {
            ClientRetryPolicy.Naive => "naive",
            ClientRetryPolicy.PlainBackoff => "backoff, no budget",
            _ => "Holdfast.Client backoff+budget",
        };
        return new RetryPolicyOutcome(name, baseline, peak, _maxQueued, recovery, _series) { WastedWork = _wasted };
    }

    private void Tick(TimeSpan now)
    {
        var dt = settings.Tick.TotalSeconds;
        var dnsUp = now < outageStart || now >= outageEnd;

        // New requests: the expected count plus a seeded wobble of ±20%, carried so the mean is exact.
        _arrivalCarry += settings.RequestsPerSecond * dt * (0.8 + (0.4 * random.NextDouble()));
        var fresh = (long)_arrivalCarry;
        _arrivalCarry -= fresh;
        for (long i = 0; i < fresh; i++)
        {
            _budget?.RecordRequest();
        }

        Attempt(fresh, attempt: 1, dnsUp);

        if (_retries.Count > 0 && _retries.First().Key <= _tick)
        {
            var due = _retries.First();
            _retries.Remove(due.Key);
            foreach (var (attempt, count) in due.Value)
            {
                Attempt(count, attempt, dnsUp);
            }
        }

        // Attempts that waited past the timeout have failed for their clients: they retry (per policy),
        // while the dead work stays in the queue.
        // Batches are in enqueue order, so the dead ones are a prefix and _firstAlive marks its end.
        var node = _firstAlive;
        while (node is not null && now - node.Value.Enqueued >= settings.Timeout)
        {
            node.Value.Dead = true;
            Failed(node.Value.Count, node.Value.Attempt);
            node = node.Next;
        }

        _firstAlive = node;

        _serviceCarry += settings.BackendPerSecond * dt;
        var capacity = (long)_serviceCarry;
        _serviceCarry -= capacity;
        while (capacity > 0 && _queue.First is { } head)
        {
            var served = Math.Min(capacity, head.Value.Count);
            capacity -= served;
            head.Value.Count -= served;
            _queued -= served;
            if (head.Value.Dead)
            {
                _wasted += served;
            }
            else
            {
                _goodThisSecond += served;
            }

            if (head.Value.Count == 0)
            {
                if (_firstAlive == head)
                {
                    _firstAlive = head.Next;
                }

                _queue.RemoveFirst();
            }
        }

        _tick++;
        if (_tick % (long)Math.Round(1 / dt) == 0)
        {
            _series.Add((now, _offeredThisSecond, _goodThisSecond));
            _offeredThisSecond = 0;
            _goodThisSecond = 0;
        }
    }

    private void Attempt(long count, int attempt, bool dnsUp)
    {
        if (count == 0)
        {
            return;
        }

        _offeredThisSecond += count;
        if (!dnsUp)
        {
            Failed(count, attempt);
            return;
        }

        var added = _queue.AddLast(new Batch(count, attempt, TimeSpanOf(_tick)));
        _firstAlive ??= added;
        _queued += count;
        _maxQueued = Math.Max(_maxQueued, _queued);
    }

    private void Failed(long count, int attempt)
    {
        if (policy == ClientRetryPolicy.Naive)
        {
            Schedule(_tick + 1, attempt + 1, count);
            return;
        }

        for (long i = 0; i < count; i++)
        {
            if (attempt >= settings.MaxAttempts || (_budget is not null && !_budget.TryAcquireRetry()))
            {
                continue;
            }

            // Retry number attempt - 1 (0-based) after attempt number attempt (1-based) failed.
            var delayTicks = 1 + (long)(_backoff!.Delay(attempt - 1) / settings.Tick);
            Schedule(_tick + delayTicks, attempt + 1, 1);
        }
    }

    private void Schedule(long tick, int attempt, long count)
    {
        if (!_retries.TryGetValue(tick, out var byAttempt))
        {
            byAttempt = [];
            _retries[tick] = byAttempt;
        }

        byAttempt[attempt] = byAttempt.GetValueOrDefault(attempt) + count;
    }

    private TimeSpan TimeSpanOf(long tick) => settings.Tick * tick;

    private sealed class Batch(long count, int attempt, TimeSpan enqueued)
    {
        public long Count { get; set; } = count;

        public int Attempt { get; } = attempt;

        public TimeSpan Enqueued { get; } = enqueued;

        public bool Dead { get; set; }
    }
}
