using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.ControlPlane.Planning;

/// <summary>
/// Runs the pure <see cref="Planner"/> where something changed: an aggregated health change
/// (<see cref="IHealthViewSource.Changed"/>) or an endpoint edit, a rejected plan, a rollback or a self-preservation
/// release (the store's change feed) marks endpoints dirty, and the loop plans the dirty set at once — a burst becomes
/// a few batches, each one store read, one generation allocation and one write transaction. A slow full pass
/// (<see cref="PlannerOptions.FullPassInterval"/>) rebuilds what the loop keeps from events and plans everything whose
/// inputs changed (every endpoint, every <see cref="PlannerOptions.ThoroughEvery"/>th pass): whatever event was lost,
/// the state converges there. Removals the velocity limit holds are planned again when the window lets them go.
/// </summary>
/// <remarks>
/// An endpoint whose newest valid plan is a rollback is pinned: the planner leaves it alone until an operator calls
/// <see cref="ResumeAsync"/>, so that an undo is not undone a second later. A second planner running by mistake is
/// harmless: generations come from the store's one counter and the fence orders them. Self-preservation is decided per
/// zone from counts kept by <see cref="ZoneHealthTracker"/>; its state lives in memory (a restarted planner starts
/// conservative, see <see cref="SelfPreservation"/>), its operator releases in the store. Passes are serialized;
/// <see cref="RunAsync"/>, <see cref="RunOnceAsync"/>, <see cref="PlanAsync"/>, <see cref="DryRunAsync"/> and
/// <see cref="ResumeAsync"/> may be called from different threads.
/// </remarks>
public sealed class PlannerLoop : IDisposable
{
    private readonly IControlStore _store;
    private readonly IHealthViewSource _health;
    private readonly PlannerOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IControlPlaneObserver _observer;
    private readonly GuardrailRegistry _guardrails;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly DirtySet _dirty;
    private readonly ZoneHealthTracker _tracker = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SelfPreservationStatus> _selfPreservation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _heldBySelfPreservation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _plannedInputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastReported = new(StringComparer.Ordinal);
    private long _fullPasses;

    /// <param name="guardrails">What the planner plans with; the enactors and rollback must check the same. Default <see cref="GuardrailRegistry.Default"/>.</param>
    public PlannerLoop(IControlStore store, IHealthViewSource health, PlannerOptions options, TimeProvider time, Random random, IControlPlaneObserver? observer = null, GuardrailRegistry? guardrails = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        _store = store;
        _health = health;
        _options = options;
        _time = time;
        _random = random;
        _observer = observer ?? NullControlPlaneObserver.Instance;
        _guardrails = guardrails ?? GuardrailRegistry.Default;
        _dirty = new DirtySet(time);
    }

    /// <summary>Endpoints waiting to be planned, and since when the oldest waits (null when none): the planner's lag.</summary>
    public (int Waiting, DateTimeOffset? Since) Backlog => (_dirty.Count, _dirty.OldestMark);

    /// <summary>A pass (event or full) is running now: its endpoints have left the dirty set but are not planned yet.</summary>
    public bool Passing => _pass.CurrentCount == 0;

    /// <summary>When the last full pass finished (null before the first).</summary>
    public DateTimeOffset? LastFullPass { get; private set; }

    /// <summary>Plans until cancelled: a full pass first, then on events, with a full pass every interval. Never throws but on cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _health.Changed += OnHealthChanged;
        try
        {
            await new WorkerLoop(_store, _dirty, _time, _random, new WorkerLoopTimings(_options.FullPassInterval, _options.Jitter, _options.WakeDelay, _options.FeedWait))
                .RunAsync(OnChangesAsync, RunOnceAsync, PlanAsync, ex => _observer.PassFailed(_options.Actor, null, ex), cancellationToken);
        }
        finally
        {
            _health.Changed -= OnHealthChanged;
        }
    }

    private void OnHealthChanged(IReadOnlyList<HealthChange> changes)
    {
        if (changes.Count == 0)
        {
            _dirty.RequestFullPass();
            return;
        }

        foreach (var change in changes)
        {
            _tracker.Apply(change);
        }

        _dirty.Mark(changes.Select(c => c.Endpoint).Distinct(StringComparer.Ordinal));
    }

    private Task OnChangesAsync(ChangePage page)
    {
        if (page.Compacted)
        {
            lock (_lock)
            {
                _plannedInputs.Clear();
            }

            _dirty.RequestFullPass();
            return Task.CompletedTask;
        }

        foreach (var change in page.Changes)
        {
            switch (change)
            {
                case EndpointPutChange put:
                    _tracker.Set(put.Spec, _health.GetView());
                    Forget(put.Spec.Name);
                    break;
                case EndpointDeletedChange deleted:
                    _tracker.Remove(deleted.Endpoint);
                    Forget(deleted.Endpoint);
                    break;
                case PlanRejectedChange rejected:
                    Forget(rejected.Endpoint);
                    break;
                case PlanWrittenChange { Origin: PlanOrigin.Rollback } rollback:
                    Forget(rollback.Endpoint);
                    break;
                case SelfPreservationReleasedChange released:
                    Released(released.Zone, released.At);
                    break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The endpoint's inputs are no longer those last planned: plan it.</summary>
    private void Forget(string endpoint)
    {
        lock (_lock)
        {
            _plannedInputs.Remove(endpoint);
        }

        _dirty.Mark(endpoint);
    }

    /// <summary>One full pass: rebuilds the zone counts from the store and plans every endpoint whose inputs changed (all of them on a thorough pass).</summary>
    public async Task<PlannerPass> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            var releases = await _store.GetSelfPreservationReleasesAsync(cancellationToken);
            var specs = new List<EndpointSpec>();
            await foreach (var stored in _store.EnumerateEndpointsAsync(EndpointParts.Spec, cancellationToken))
            {
                specs.Add(stored.Spec!);
            }

            var health = _health.GetView();
            _tracker.Reset(specs, health);
            lock (_lock)
            {
                foreach (var (zone, at) in releases)
                {
                    // A recent release holds across a restart of the planner; an old one no longer matters.
                    if (!_selfPreservation.ContainsKey(zone) && at > now - _options.SelfPreservation.Window)
                    {
                        _selfPreservation[zone] = SelfPreservation.Release(null, zone, at);
                    }
                }
            }

            var zones = EvaluateZones(_tracker.Zones, now);
            var thorough = _fullPasses++ % _options.ThoroughEvery == 0;
            List<string> due;
            lock (_lock)
            {
                due = [.. specs
                    .Where(s => thorough || _plannedInputs.GetValueOrDefault(s.Name) != Planner.HashInputs(s, health, zones.GetValueOrDefault(s.Zone)?.Active ?? false))
                    .Select(s => s.Name)];
                foreach (var gone in _plannedInputs.Keys.Except(specs.Select(s => s.Name)).ToList())
                {
                    _plannedInputs.Remove(gone);
                    _lastReported.Remove(gone);
                }
            }

            var pass = new PassResult();
            foreach (var batch in due.Chunk(_options.BatchSize))
            {
                var stored = await _store.ReadEndpointsAsync(batch, EndpointParts.Spec | EndpointParts.Plans, cancellationToken);
                await PlanBatchAsync(stored, health, now, pass, cancellationToken);
            }

            LastFullPass = _time.GetUtcNow();
            return new PlannerPass(pass.Written, pass.Pinned, SelfPreservationState());
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Plans <paramref name="endpoints"/> now (the event path), in batches.</summary>
    public async Task<PlannerPass> PlanAsync(IReadOnlyCollection<string> endpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var pass = new PassResult();
            foreach (var batch in endpoints.Chunk(_options.BatchSize))
            {
                var stored = await _store.ReadEndpointsAsync(batch, EndpointParts.Spec | EndpointParts.Plans, cancellationToken);
                var now = _time.GetUtcNow();
                var health = _health.GetView();
                EvaluateZones(stored.Where(s => s.Spec is not null).Select(s => s.Spec!.Zone).Distinct(StringComparer.Ordinal), now);
                await PlanBatchAsync(stored, health, now, pass, cancellationToken);
            }

            return new PlannerPass(pass.Written, pass.Pinned, SelfPreservationState());
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task PlanBatchAsync(IReadOnlyList<StoredEndpoint> batch, HealthView health, DateTimeOffset now, PassResult pass, CancellationToken cancellationToken)
    {
        var drafts = new List<PlanDraft>();
        foreach (var stored in batch)
        {
            if (stored.Spec is not { } spec)
            {
                lock (_lock)
                {
                    _plannedInputs.Remove(stored.Name);
                    _lastReported.Remove(stored.Name);
                }

                continue;
            }

            try
            {
                var (input, latest) = InputFor(spec, stored.Plans, health, now);
                if (latest?.Origin == PlanOrigin.Rollback)
                {
                    pass.Pinned.Add(spec.Name);
                    continue;
                }

                var result = Planner.Plan(input, _guardrails);
                Report(spec.Name, result);
                Remember(spec, input, result, now);
                if (result.Draft is { } draft)
                {
                    drafts.Add(draft);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _observer.PassFailed(_options.Actor, spec.Name, ex);
            }
        }

        pass.Written.AddRange(await WriteAsync(drafts, PlanOrigin.Planner, cancellationToken));
    }

    /// <summary>Remembers what the endpoint was planned from, and when a removal the velocity limit holds may go.</summary>
    private void Remember(EndpointSpec spec, PlannerInput input, PlanningResult result, DateTimeOffset now)
    {
        var hash = Planner.HashInputs(input);
        lock (_lock)
        {
            _plannedInputs[spec.Name] = hash;
            if (result.Decisions.Any(d => d.Guardrail == GuardrailNames.VelocityLimit && d.Verdict == GuardrailVerdict.Held))
            {
                // The budget grows when the oldest plan inside the window leaves it.
                var windowStart = now - spec.Policy.Window;
                var oldest = input.RecentPlans.Where(p => p.CreatedAt > windowStart).Select(p => p.CreatedAt).DefaultIfEmpty(now).Min();
                _dirty.MarkAt(spec.Name, oldest + spec.Policy.Window + TimeSpan.FromMilliseconds(1));
            }

            var held = result.Decisions.Any(d => d.Guardrail == GuardrailNames.SelfPreservation && d.Verdict == GuardrailVerdict.Held);
            if (held)
            {
                if (!_heldBySelfPreservation.TryGetValue(spec.Zone, out var set))
                {
                    _heldBySelfPreservation[spec.Zone] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(spec.Name);
            }
            else
            {
                _heldBySelfPreservation.GetValueOrDefault(spec.Zone)?.Remove(spec.Name);
            }
        }
    }

    /// <summary>What the planner would do for <paramref name="endpoint"/> now, without writing. Null if the endpoint does not exist.</summary>
    public async Task<PlanningResult?> DryRunAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var stored = await _store.ReadEndpointAsync(endpoint, EndpointParts.Spec | EndpointParts.Plans, cancellationToken);
        if (stored.Spec is null)
        {
            return null;
        }

        var (input, _) = InputFor(stored.Spec, stored.Plans, _health.GetView(), _time.GetUtcNow());
        return Planner.Plan(input, _guardrails);
    }

    /// <summary>
    /// Ends a rollback pin: plans the endpoint now and writes a planner plan even when its records equal the rollback's,
    /// so that the planner owns the endpoint again; the resume is audited in the same transaction. Returns the plan
    /// written, or null when the endpoint does not exist or is not pinned.
    /// </summary>
    public async Task<Plan?> ResumeAsync(string endpoint, string actor, string? reason = null, CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var stored = await _store.ReadEndpointAsync(endpoint, EndpointParts.Spec | EndpointParts.Plans, cancellationToken);
            if (stored.Spec is not { } spec)
            {
                return null;
            }

            var (input, latest) = InputFor(spec, stored.Plans, _health.GetView(), _time.GetUtcNow());
            if (latest?.Origin != PlanOrigin.Rollback)
            {
                return null;
            }

            var result = Planner.Plan(input, _guardrails);

            // Same records as the rollback: copy them under a planner plan, which is what ends the pin.
            var draft = result.Draft ?? new PlanDraft(endpoint, latest.Records, latest.InputsHash, $"resumed by {actor} after rollback {latest.Generation}", result.Decisions);
            draft = draft with { Reason = $"resumed by {actor}: {draft.Reason}" };
            var note = new AuditNote("rollback.resumed", $"planner owns the endpoint again after rollback {latest.Generation}" + (reason is null ? "" : ": " + reason));
            var written = await WriteAsync([draft], PlanOrigin.Planner, cancellationToken, actor, [note]);
            return written.Count == 1 ? written[0] : null;
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>
    /// An operator's release of a zone's self-preservation (see <see cref="SelfPreservation.Release"/>), recorded in the
    /// store so that every planner honours it, and audited there.
    /// </summary>
    public async Task ReleaseSelfPreservationAsync(string zone, string actor, string reason, CancellationToken cancellationToken = default)
    {
        await _store.ReleaseSelfPreservationAsync(zone, actor, reason, cancellationToken);
        Released(zone, _time.GetUtcNow());
    }

    private void Released(string zone, DateTimeOffset at)
    {
        IReadOnlyList<string> held;
        lock (_lock)
        {
            var current = _selfPreservation.GetValueOrDefault(zone);
            if (current?.ReleasedAt >= at)
            {
                return;
            }

            _selfPreservation[zone] = SelfPreservation.Release(current, zone, at);
            held = TakeHeldLocked(zone);
        }

        _dirty.Mark(held);
    }

    /// <summary>The self-preservation state per zone after the last evaluation.</summary>
    public IReadOnlyDictionary<string, SelfPreservationStatus> SelfPreservationState()
    {
        lock (_lock)
        {
            return new Dictionary<string, SelfPreservationStatus>(_selfPreservation, StringComparer.Ordinal);
        }
    }

    private Dictionary<string, SelfPreservationStatus> EvaluateZones(IEnumerable<string> zones, DateTimeOffset now)
    {
        var released = new List<string>();
        lock (_lock)
        {
            foreach (var zone in zones)
            {
                var previous = _selfPreservation.GetValueOrDefault(zone);
                var (enabled, downSince) = _tracker.Counts(zone);
                var status = SelfPreservation.Evaluate(zone, enabled, downSince, previous, _options.SelfPreservation, now);
                if (status.Active != (previous?.Active ?? false))
                {
                    var verdict = status.Active ? GuardrailVerdict.Held : GuardrailVerdict.Passed;
                    _observer.GuardrailFired(_options.Actor, zone, new GuardrailDecision(GuardrailNames.SelfPreservation, verdict, status.Reason, Alarm: status.Active));
                    if (!status.Active)
                    {
                        released.AddRange(TakeHeldLocked(zone));
                    }
                }

                _selfPreservation[zone] = status;
            }

            _dirty.Mark(released);
            return new Dictionary<string, SelfPreservationStatus>(_selfPreservation, StringComparer.Ordinal);
        }
    }

    private List<string> TakeHeldLocked(string zone)
    {
        if (!_heldBySelfPreservation.Remove(zone, out var held))
        {
            return [];
        }

        foreach (var name in held)
        {
            _plannedInputs.Remove(name);
        }

        return [.. held];
    }

    private (PlannerInput Input, Plan? Latest) InputFor(EndpointSpec spec, IReadOnlyList<PlanEntry> plans, HealthView health, DateTimeOffset now)
    {
        var valid = plans.Where(p => !p.IsRejected).Select(p => p.Plan).ToList();
        var latest = valid.Count == 0 ? null : valid[^1];
        SelfPreservationStatus selfPreservation;
        lock (_lock)
        {
            selfPreservation = _selfPreservation.GetValueOrDefault(spec.Zone) ?? SelfPreservationStatus.Inactive;
        }

        return (new PlannerInput(spec, health, latest, valid, selfPreservation, now), latest);
    }

    private async Task<IReadOnlyList<Plan>> WriteAsync(List<PlanDraft> drafts, PlanOrigin origin, CancellationToken cancellationToken, string? actor = null, IReadOnlyList<AuditNote>? notes = null)
    {
        if (drafts.Count == 0)
        {
            return [];
        }

        var first = await _store.AllocateGenerationsAsync(drafts.Count, cancellationToken);
        var now = _time.GetUtcNow();
        var plans = drafts.Select((d, i) => d.ToPlan(new Generation(first.Value + i), now, origin)).ToList();
        var outcomes = await _store.WritePlansAsync([.. plans.Select(p => new PlanWrite(p, actor ?? _options.Actor, notes))], cancellationToken);
        var written = new List<Plan>(plans.Count);
        for (var i = 0; i < plans.Count; i++)
        {
            if (outcomes[i].Written)
            {
                _observer.PlanWritten(plans[i]);
                written.Add(plans[i]);
            }
        }

        return written;
    }

    public void Dispose() => _pass.Dispose();

    // Guardrail decisions repeat on every planning of an endpoint while a condition lasts; report each endpoint's set once per change.
    private void Report(string endpoint, PlanningResult result)
    {
        var fired = result.Decisions.Where(d => d.Fired).ToList();
        var key = string.Join('|', fired.Select(d => d.Guardrail + ":" + d.Verdict));
        lock (_lock)
        {
            if (_lastReported.TryGetValue(endpoint, out var last) && last == key && !result.HasChange)
            {
                return;
            }

            if (key.Length == 0)
            {
                _lastReported.Remove(endpoint);
            }
            else
            {
                _lastReported[endpoint] = key;
            }
        }

        foreach (var decision in fired)
        {
            _observer.GuardrailFired(_options.Actor, endpoint, decision);
        }
    }

    private sealed class PassResult
    {
        public List<Plan> Written { get; } = [];

        public List<string> Pinned { get; } = [];
    }
}
