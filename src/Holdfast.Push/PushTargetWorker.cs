using System.Collections.Concurrent;
using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Dns.Update;
using Holdfast.Dns.Wire;

namespace Holdfast.Push;

/// <summary>
/// The push enactor for one target: a level-triggered reconciler between the store's applied state and one external
/// server. Woken by the store's change feed (an apply in the target's zone marks its endpoint), with a slow full pass
/// over the zone as the safety net that also finds drift. Per endpoint it reads what the server answers, decides
/// (<see cref="PushDecider"/>) and sends one fenced UPDATE; a failed prerequisite means another pusher got there first,
/// so it reads back and decides again. One worker per target, each with its own loop, feed follower and back-off: a
/// slow or dead server delays only its own worker.
/// </summary>
/// <remarks>
/// <code>
/// outcome                          then
/// NOERROR                          done (pushed, or drift repaired and reported)
/// YXDOMAIN / NXRRSET (prereq)      read back, decide again (up to MaxConflictRetries, then the next pass)
/// timeout, refused, SERVFAIL,      stop this target's pass; the endpoints not done wait RetryInitial · 2^(n-1)
///   bad TSIG, malformed answer       (± jitter, at most RetryMax) and are tried again; reported per target
/// </code>
/// Nothing kept in memory is needed for correctness: the marker on the server and the applied state in the store are the
/// whole truth, so a restarted worker (or a second one on another node) converges from whatever it finds.
/// </remarks>
public sealed class PushTargetWorker
{
    private readonly PushClient _client;
    private readonly IControlStore _store;
    private readonly PushOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _loopRandom;
    private readonly Random _jitterRandom;
    private readonly IPushObserver _observer;
    private readonly PushMetrics? _metrics;
    private readonly DirtySet _dirty;
    private readonly Lock _lock = new();
    private readonly KeyValuePair<string, object?> _targetTag;
    private string _state = "starting";
    private int _consecutiveFailures;
    private string? _lastError;
    private DateTimeOffset? _lastSuccessAt;
    private DateTimeOffset? _nextRetryAt;
    private long _pushed;
    private long _repaired;
    private long _conflicts;
    private long _held;
    private long _failures;

    public PushTargetWorker(PushTarget target, IControlStore store, PushOptions options, TimeProvider time, Random random, IDnsExchange? exchange = null, IPushObserver? observer = null, PushMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _store = store;
        _options = options;
        _time = time;

        // Separate sources from the one seed: the loop, the jitter and the message IDs run on different flows.
        _loopRandom = new Random(random.Next());
        _jitterRandom = new Random(random.Next());
        _client = new PushClient(target, exchange ?? DnsExchange.Instance, options, time, new Random(random.Next()));
        _observer = observer ?? NullPushObserver.Instance;
        _metrics = metrics;
        _dirty = new DirtySet(time);
        _targetTag = new("target", target.Name);
    }

    public PushTarget Target => _client.Target;

    public PushTargetStatus Status
    {
        get
        {
            lock (_lock)
            {
                return new PushTargetStatus(
                    Target.Name, Target.Zone, Target.Server.ToString(), _state, _consecutiveFailures, _lastError, _lastSuccessAt, _nextRetryAt,
                    Interlocked.Read(ref _pushed), Interlocked.Read(ref _repaired), Interlocked.Read(ref _conflicts), Interlocked.Read(ref _held),
                    Interlocked.Read(ref _failures), _dirty.Count);
            }
        }
    }

    /// <summary>Pushes until cancelled: a full pass first, then what the feed names, a full pass every interval (± jitter). Never throws but on cancellation.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        new WorkerLoop(_store, _dirty, _time, _loopRandom, new WorkerLoopTimings(_options.FullPassInterval, _options.Jitter, _options.WakeDelay, _options.FeedWait))
            .RunAsync(OnChangesAsync, RunFullPassAsync, PushAsync, ex => RecordFailure(null, ex, []), cancellationToken);

    /// <summary>One full pass: every endpoint of the zone, compared with the server and repaired where it differs.</summary>
    public async Task<PushPass> RunFullPassAsync(CancellationToken cancellationToken = default)
    {
        var state = await _store.ReadServingStateAsync(cancellationToken);
        return await ReconcileAsync([.. state.Endpoints.Where(e => e.Zone == Target.Zone)], full: true, cancellationToken);
    }

    /// <summary>One pass over <paramref name="endpoints"/> (the event path): read from the store, then pushed where needed.</summary>
    public async Task<PushPass> PushAsync(IReadOnlyList<string> endpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var served = new List<ServedEndpoint>(endpoints.Count);
        foreach (var batch in endpoints.Chunk(_options.BatchSize))
        {
            foreach (var stored in await _store.ReadEndpointsAsync(batch, EndpointParts.Spec | EndpointParts.Applied, cancellationToken))
            {
                if (stored.Spec is { } spec && spec.Zone == Target.Zone)
                {
                    served.Add(new ServedEndpoint(stored.Name, spec.Zone, spec.Policy.Ttl, spec.Policy.MaxAnswers, stored.Applied?.Generation ?? Generation.None, stored.Applied?.Records ?? []));
                }
            }
        }

        return await ReconcileAsync(served, full: false, cancellationToken);
    }

    private Task OnChangesAsync(ChangePage page)
    {
        if (page.Compacted)
        {
            _dirty.RequestFullPass();
            return Task.CompletedTask;
        }

        foreach (var change in page.Changes)
        {
            switch (change)
            {
                case AppliedChange applied when applied.Zone == Target.Zone:
                    _dirty.Mark(applied.Endpoint);
                    break;
                case EndpointPutChange put when put.Spec.Zone == Target.Zone:
                    // The TTL may have changed: the records on the server carry it.
                    _dirty.Mark(put.Spec.Name);
                    break;
            }
        }

        return Task.CompletedTask;
    }

    private async Task<PushPass> ReconcileAsync(IReadOnlyList<ServedEndpoint> endpoints, bool full, CancellationToken cancellationToken)
    {
        var steps = new ConcurrentBag<PushStep>();
        var deferred = new ConcurrentBag<string>();
        Exception? failure = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(endpoints.Where(e => e.Generation != Generation.None), parallel, async (endpoint, token) =>
        {
            // After the first failure this target's pass stops: a dead server costs one timeout per pass, not one per endpoint.
            if (Volatile.Read(ref failure) is not null)
            {
                deferred.Add(endpoint.Name);
                return;
            }

            try
            {
                steps.Add(await ReconcileEndpointAsync(endpoint, token));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
                deferred.Add(endpoint.Name);
            }
        });

        IReadOnlyList<string> waiting = [.. deferred];
        if (failure is not null)
        {
            RecordFailure(waiting.Count > 0 ? waiting[0] : null, failure, waiting);
        }
        else
        {
            RecordSuccess();
        }

        return new PushPass(Target.Name, [.. steps], full, failure, waiting);
    }

    private async Task<PushStep> ReconcileEndpointAsync(ServedEndpoint endpoint, CancellationToken cancellationToken)
    {
        var conflicts = 0;
        while (true)
        {
            var server = await _client.ReadAsync(endpoint.Name, cancellationToken);
            var decision = PushDecider.Decide(endpoint, server, _client.NextId());
            switch (decision.Action)
            {
                case PushAction.InSync:
                    return new PushStep(endpoint.Name, decision.Action, false, conflicts, decision.Reason);
                case PushAction.RefuseEmpty or PushAction.ServerAhead or PushAction.MarkerUnreadable:
                    Interlocked.Increment(ref _held);
                    Count("held");
                    _observer.Held(Target.Name, endpoint.Name, decision.Action, decision.Reason);
                    return new PushStep(endpoint.Name, decision.Action, false, conflicts, decision.Reason);
            }

            var started = _time.GetTimestamp();
            var rcode = await _client.UpdateAsync(decision.Update!, cancellationToken);
            _metrics?.UpdateDuration.Record(_time.GetElapsedTime(started).TotalSeconds, _targetTag);
            if (rcode == DnsRcode.NoError)
            {
                if (decision.Action == PushAction.Repair)
                {
                    Interlocked.Increment(ref _repaired);
                    Count("repaired");
                    _observer.DriftRepaired(Target.Name, endpoint.Name, endpoint.Generation, decision.Reason);
                }
                else
                {
                    Interlocked.Increment(ref _pushed);
                    Count("pushed");
                    _observer.Pushed(Target.Name, endpoint.Name, server.Marker, endpoint.Generation);
                }

                return new PushStep(endpoint.Name, decision.Action, true, conflicts, decision.Reason);
            }

            if (!UpdateRcode.IsPrerequisiteFailure(rcode))
            {
                throw new PushFailureException($"{Target.Name}: the UPDATE for {endpoint.Name} was answered with RCODE {rcode}");
            }

            // RFC 2136 §3.2: the prerequisite did not hold, nothing changed. Someone moved the marker: look again.
            conflicts++;
            Interlocked.Increment(ref _conflicts);
            Count("conflict");
            _observer.Conflict(Target.Name, endpoint.Name, $"prerequisite failed (RCODE {rcode}) for {decision.Reason}");
            if (conflicts >= _options.MaxConflictRetries)
            {
                _dirty.MarkAt(endpoint.Name, _time.GetUtcNow() + Backoff(1));
                return new PushStep(endpoint.Name, decision.Action, false, conflicts, decision.Reason);
            }
        }
    }

    private void RecordSuccess()
    {
        bool recovered;
        lock (_lock)
        {
            recovered = _state == "failing";
            _state = "ok";
            _consecutiveFailures = 0;
            _lastSuccessAt = _time.GetUtcNow();
            _nextRetryAt = null;
        }

        if (recovered)
        {
            _observer.Recovered(Target.Name);
        }
    }

    private void RecordFailure(string? endpoint, Exception error, IReadOnlyList<string> waiting)
    {
        int failures;
        TimeSpan retryIn;
        lock (_lock)
        {
            failures = ++_consecutiveFailures;
            retryIn = Backoff(failures);
            _state = "failing";
            _lastError = error.Message;
            _nextRetryAt = _time.GetUtcNow() + retryIn;
        }

        Interlocked.Increment(ref _failures);
        Count("failed");
        foreach (var name in waiting)
        {
            _dirty.MarkAt(name, _time.GetUtcNow() + retryIn);
        }

        _observer.Failed(Target.Name, endpoint, error, failures, retryIn);
    }

    /// <summary>RetryInitial · 2^(n-1), at most RetryMax, ± Jitter: decorrelates targets and nodes retrying one server.</summary>
    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 30);
        var ticks = Math.Min(_options.RetryInitial.Ticks * Math.Pow(2, exponent), _options.RetryMax.Ticks);
        double factor;
        lock (_jitterRandom)
        {
            factor = 1 + (((_jitterRandom.NextDouble() * 2) - 1) * _options.Jitter);
        }

        return TimeSpan.FromTicks((long)(ticks * factor));
    }

    private void Count(string result) => _metrics?.Updates.Add(1, _targetTag, new("result", result));
}
