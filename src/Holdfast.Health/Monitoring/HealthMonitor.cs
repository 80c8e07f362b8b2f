using Holdfast.Health.Aggregation;
using Holdfast.Health.Observations;
using Holdfast.Health.Probing;
using Holdfast.Health.Sources;

namespace Holdfast.Health.Monitoring;

/// <summary>
/// Runs one probe loop per (active source, target) and feeds every result to the
/// <see cref="HealthAggregator"/>. Each loop waits a random part of the interval before its first check (so
/// that a start does not probe everything at once), then checks, records, and waits the source's interval ×
/// (1 ± jitter) after each check, on the injected <see cref="TimeProvider"/> with the injected seeded
/// <see cref="Random"/>. At most <see cref="HealthMonitorOptions.MaxConcurrentProbes"/> checks run at once.
/// </summary>
/// <remarks>
/// A prober that throws does not stop its loop: the exception is counted (<see cref="ProberErrors"/>),
/// reported to <see cref="IHealthObserver.ProberFailed"/>, and recorded as <see cref="ObservationState.Down"/>
/// with reason "prober error: …" — the source could not vouch for the target. <see cref="Configure"/> may be
/// called at any time, from any thread: loops of unchanged checks keep running, changed ones restart,
/// removed ones stop.
/// </remarks>
public sealed class HealthMonitor : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly HealthAggregator _aggregator;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IHealthObserver _observer;
    private readonly SemaphoreSlim _concurrency;
    private readonly Dictionary<string, IProber> _probers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Source, string Target), ProbeLoop> _loops = [];
    private readonly List<Task> _retiring = [];
    private CancellationTokenSource? _running;
    private long _proberErrors;
    private long _probes;
    private bool _disposed;

    /// <param name="aggregator">Where results go; its sources decide which probers run. Not owned.</param>
    /// <param name="proberFactory">Builds the prober of an active source; default <see cref="HttpProber"/> or <see cref="TcpProber"/> by kind. Probers that are <see cref="IDisposable"/> are disposed with the monitor.</param>
    public HealthMonitor(
        HealthAggregator aggregator,
        TimeProvider time,
        Random random,
        HealthMonitorOptions? options = null,
        IHealthObserver? observer = null,
        Func<HealthSourceOptions, IProber>? proberFactory = null)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        options ??= new HealthMonitorOptions();
        HealthConfiguration.ThrowIfAny([.. options.Validate("health.monitor")], nameof(options));
        _aggregator = aggregator;
        _time = time;
        _random = random;
        _observer = observer ?? NullHealthObserver.Instance;
        _concurrency = new SemaphoreSlim(options.MaxConcurrentProbes, options.MaxConcurrentProbes);
        proberFactory ??= DefaultProber;
        foreach (var source in aggregator.Sources.Values.Where(s => s.IsActive))
        {
            _probers[source.Name] = proberFactory(source);
        }
    }

    public HealthAggregator Aggregator => _aggregator;

    /// <summary>Probers that threw instead of returning a result, since start.</summary>
    public long ProberErrors => Interlocked.Read(ref _proberErrors);

    /// <summary>Checks completed (including prober errors), since start.</summary>
    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>Probe loops now running.</summary>
    public int RunningLoops
    {
        get
        {
            lock (_gate)
            {
                return _loops.Count;
            }
        }
    }

    /// <summary>
    /// Sets the targets (see <see cref="HealthAggregator.Configure"/>) and, when running, starts, restarts
    /// or stops probe loops to match. All or nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A check is invalid; nothing changed.</exception>
    public void Configure(IEnumerable<TargetCheck> checks)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _aggregator.Configure(checks);
            if (_running is not null)
            {
                ReconcileLocked(_running.Token);
            }
        }
    }

    /// <summary>
    /// Replaces the targets of <paramref name="endpoints"/> only (see <see cref="HealthAggregator.ConfigureEndpoints"/>)
    /// and starts, restarts or stops their probe loops; every other loop is left alone. All or nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A check is invalid or belongs to another endpoint; nothing changed.</exception>
    public void ConfigureEndpoints(IReadOnlyCollection<string> endpoints, IEnumerable<TargetCheck> checks)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var touched = _aggregator.ConfigureEndpoints(endpoints, checks);
            if (_running is not null)
            {
                ReconcileKeysLocked(touched, _running.Token);
            }
        }
    }

    /// <summary>Starts probing every configured target. Loops stop on <see cref="StopAsync"/>, <see cref="DisposeAsync"/> or <paramref name="cancellationToken"/>.</summary>
    /// <exception cref="InvalidOperationException">Already running.</exception>
    public void Start(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_running is not null)
            {
                throw new InvalidOperationException("the health monitor is already running");
            }

            _running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ReconcileLocked(_running.Token);
        }
    }

    /// <summary>Stops every probe loop and waits for them to finish. Observations already recorded stay.</summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? running;
        List<ProbeLoop> loops;
        List<Task> retiring;
        lock (_gate)
        {
            running = _running;
            _running = null;
            loops = [.. _loops.Values];
            _loops.Clear();
            retiring = [.. _retiring];
            _retiring.Clear();
        }

        if (running is null)
        {
            return;
        }

        await running.CancelAsync();
        foreach (var loop in loops)
        {
            await loop.StopAsync();
        }

        // Loops a reconfiguration stopped may still be finishing a check; they must not outlive the monitor.
        await Task.WhenAll(retiring);
        running.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (var prober in _probers.Values.OfType<IDisposable>())
        {
            prober.Dispose();
        }

        _concurrency.Dispose();
    }

    private IProber DefaultProber(HealthSourceOptions source) => source.Kind switch
    {
        HealthSourceKind.Http => new HttpProber(source.Timeout, _time),
        HealthSourceKind.Tcp => new TcpProber(source.Timeout, _time),
        _ => throw new ArgumentException($"health source '{source.Name}' of kind {source.Kind} has no prober", nameof(source)),
    };

    private void ReconcileLocked(CancellationToken running)
    {
        var wanted = new Dictionary<(string, string), (HealthSourceOptions Source, TargetCheck Check)>();
        foreach (var check in _aggregator.Checks)
        {
            foreach (var source in HealthConfiguration.VotersOf(_aggregator.Sources, check).Where(s => s.IsActive))
            {
                wanted[(source.Name, check.Key)] = (source, check);
            }
        }

        _retiring.RemoveAll(t => t.IsCompleted);
        foreach (var (key, loop) in _loops.ToList())
        {
            if (!wanted.TryGetValue(key, out var want) || !want.Check.Equals(loop.Check))
            {
                _loops.Remove(key);
                _retiring.Add(loop.StopAsync());
            }
        }

        foreach (var (key, (source, check)) in wanted)
        {
            if (!_loops.ContainsKey(key))
            {
                StartLoopLocked(source, check, running);
            }
        }
    }

    private void ReconcileKeysLocked(IReadOnlyList<string> keys, CancellationToken running)
    {
        _retiring.RemoveAll(t => t.IsCompleted);
        var active = _aggregator.Sources.Values.Where(s => s.IsActive).ToList();
        foreach (var key in keys)
        {
            var check = _aggregator.FindCheck(key);
            var voters = check is null ? [] : HealthConfiguration.VotersOf(_aggregator.Sources, check).Where(s => s.IsActive).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var source in active)
            {
                var loopKey = (source.Name, key);
                var wanted = check is not null && voters.Contains(source.Name);
                if (_loops.TryGetValue(loopKey, out var loop) && (!wanted || !loop.Check.Equals(check)))
                {
                    _loops.Remove(loopKey);
                    _retiring.Add(loop.StopAsync());
                }

                if (wanted && !_loops.ContainsKey(loopKey))
                {
                    StartLoopLocked(source, check!, running);
                }
            }
        }
    }

    private void StartLoopLocked(HealthSourceOptions source, TargetCheck check, CancellationToken running)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(running);
        var firstDelay = source.Interval * NextDouble();
        _loops[(source.Name, check.Key)] = new ProbeLoop(check, cts, Task.Run(() => RunLoopAsync(source, _probers[source.Name], check, firstDelay, cts.Token), CancellationToken.None));
    }

    private async Task RunLoopAsync(HealthSourceOptions source, IProber prober, TargetCheck check, TimeSpan firstDelay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(firstDelay, _time, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await ProbeOnceAsync(source, prober, check, cancellationToken);
                _aggregator.Record(source.Name, check.Endpoint, check.TargetId, result.State, result.Reason, _time.GetUtcNow());
                var factor = 1 + (((NextDouble() * 2) - 1) * source.Jitter);
                await Task.Delay(source.Interval * factor, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task<ProbeResult> ProbeOnceAsync(HealthSourceOptions source, IProber prober, TargetCheck check, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            var result = await prober.ProbeAsync(check, cancellationToken);
            return Enum.IsDefined(result.State) ? result : throw new InvalidOperationException($"the prober returned an undefined state {(int)result.State}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _proberErrors);
            _observer.ProberFailed(source.Name, check.Endpoint, check.TargetId, ex);
            return ProbeResult.Down("prober error: " + ex.Message);
        }
        finally
        {
            Interlocked.Increment(ref _probes);
            _concurrency.Release();
        }
    }

    // Random is not thread-safe and the loops run concurrently; one seeded source keeps runs reproducible.
    private double NextDouble()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    private sealed class ProbeLoop(TargetCheck check, CancellationTokenSource cancellation, Task task)
    {
        public TargetCheck Check { get; } = check;

        public async Task StopAsync()
        {
            await cancellation.CancelAsync();
            await task;
            cancellation.Dispose();
        }
    }
}
