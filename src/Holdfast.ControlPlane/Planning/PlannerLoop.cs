using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Planning;

/// <summary>
/// Runs the pure <see cref="Planner"/> for every endpoint on an interval: reads desired state and plans
/// from the store and health from <see cref="IHealthViewSource"/>, allocates a generation and writes a plan
/// only when the record set would change. Holds self-preservation state per zone in memory (a restarted
/// planner starts conservative, see <see cref="SelfPreservation"/>).
/// </summary>
/// <remarks>
/// An endpoint whose newest valid plan is a rollback is pinned: the planner leaves it alone until an
/// operator calls <see cref="ResumeAsync"/>, so that an undo is not undone a second later. A second
/// planner running by mistake is harmless: the store refuses a plan whose generation is not newer.
/// Passes are serialized; <see cref="RunAsync"/>, <see cref="DryRunAsync"/> and <see cref="ResumeAsync"/>
/// may be called from different threads.
/// </remarks>
public sealed class PlannerLoop : IDisposable
{
    private readonly IControlStore _store;
    private readonly IHealthViewSource _health;
    private readonly PlannerOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IControlPlaneObserver _observer;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Dictionary<string, SelfPreservationStatus> _selfPreservation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastReported = new(StringComparer.Ordinal);

    public PlannerLoop(IControlStore store, IHealthViewSource health, PlannerOptions options, TimeProvider time, Random random, IControlPlaneObserver? observer = null)
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
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        ReconcileLoop.RunAsync(RunOnceAsync, ex => _observer.PassFailed(_options.Actor, null, ex), _options.Interval, _options.Jitter, _time, _random, cancellationToken);

    /// <summary>One planning pass over every endpoint.</summary>
    public async Task<PlannerPass> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            var specs = await _store.ListEndpointsAsync(cancellationToken);
            var health = _health.GetView();
            var zones = EvaluateSelfPreservation(specs, health, now);
            var written = new List<Plan>();
            var pinned = new List<string>();
            foreach (var spec in specs)
            {
                try
                {
                    var (input, latest) = await InputForAsync(spec, health, zones, now, cancellationToken);
                    if (latest?.Origin == PlanOrigin.Rollback)
                    {
                        pinned.Add(spec.Name);
                        continue;
                    }

                    var result = Planner.Plan(input);
                    Report(spec.Name, result);
                    if (result.Draft is { } draft && await WriteAsync(draft, PlanOrigin.Planner, null, cancellationToken) is { } plan)
                    {
                        written.Add(plan);
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    _observer.PassFailed(_options.Actor, spec.Name, ex);
                }
            }

            return new PlannerPass(written, pinned, zones);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>What the planner would do for <paramref name="endpoint"/> now, without writing. Null if the endpoint does not exist.</summary>
    public async Task<PlanningResult?> DryRunAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var specs = await _store.ListEndpointsAsync(cancellationToken);
        var spec = specs.FirstOrDefault(s => s.Name == endpoint);
        if (spec is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var health = _health.GetView();
        Dictionary<string, SelfPreservationStatus> zones;
        lock (_selfPreservation)
        {
            zones = new(_selfPreservation, StringComparer.Ordinal);
        }

        var (input, _) = await InputForAsync(spec, health, zones, now, cancellationToken);
        return Planner.Plan(input);
    }

    /// <summary>
    /// Ends a rollback pin: plans the endpoint now and writes a planner plan even when its records equal the
    /// rollback's, so that the planner owns the endpoint again. Returns the plan written, or null when the
    /// endpoint does not exist or is not pinned.
    /// </summary>
    public async Task<Plan?> ResumeAsync(string endpoint, string actor, CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var spec = (await _store.ListEndpointsAsync(cancellationToken)).FirstOrDefault(s => s.Name == endpoint);
            if (spec is null)
            {
                return null;
            }

            var now = _time.GetUtcNow();
            Dictionary<string, SelfPreservationStatus> zones;
            lock (_selfPreservation)
            {
                zones = new(_selfPreservation, StringComparer.Ordinal);
            }

            var (input, latest) = await InputForAsync(spec, _health.GetView(), zones, now, cancellationToken);
            if (latest?.Origin != PlanOrigin.Rollback)
            {
                return null;
            }

            var result = Planner.Plan(input);
            var draft = result.Draft;
            if (draft is null)
            {
                // Same records as the rollback: copy them under a planner plan, which is what ends the pin.
                draft = new PlanDraft(endpoint, latest.Records, latest.InputsHash, $"resumed by {actor} after rollback {latest.Generation}", result.Decisions);
            }

            return draft is null ? null : await WriteAsync(draft with { Reason = $"resumed by {actor}: {draft.Reason}" }, PlanOrigin.Planner, null, cancellationToken);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>An operator's release of a zone's self-preservation (see <see cref="SelfPreservation.Release"/>).</summary>
    public void ReleaseSelfPreservation(string zone)
    {
        lock (_selfPreservation)
        {
            _selfPreservation[zone] = SelfPreservation.Release(_selfPreservation.GetValueOrDefault(zone), zone, _time.GetUtcNow());
        }
    }

    /// <summary>The self-preservation state per zone after the last pass.</summary>
    public IReadOnlyDictionary<string, SelfPreservationStatus> SelfPreservationState()
    {
        lock (_selfPreservation)
        {
            return new Dictionary<string, SelfPreservationStatus>(_selfPreservation, StringComparer.Ordinal);
        }
    }

    private Dictionary<string, SelfPreservationStatus> EvaluateSelfPreservation(IReadOnlyList<EndpointSpec> specs, HealthView health, DateTimeOffset now)
    {
        lock (_selfPreservation)
        {
            foreach (var zone in specs.GroupBy(s => s.Zone, StringComparer.Ordinal))
            {
                var previous = _selfPreservation.GetValueOrDefault(zone.Key);
                var status = SelfPreservation.Evaluate(zone.Key, zone, health, previous, _options.SelfPreservation, now);
                if (status.Active != (previous?.Active ?? false))
                {
                    var verdict = status.Active ? GuardrailVerdict.Held : GuardrailVerdict.Passed;
                    _observer.GuardrailFired(_options.Actor, zone.Key, new GuardrailDecision(GuardrailNames.SelfPreservation, verdict, status.Reason, Alarm: status.Active));
                }

                _selfPreservation[zone.Key] = status;
            }

            return new Dictionary<string, SelfPreservationStatus>(_selfPreservation, StringComparer.Ordinal);
        }
    }

    private async Task<(PlannerInput Input, Plan? Latest)> InputForAsync(EndpointSpec spec, HealthView health, IReadOnlyDictionary<string, SelfPreservationStatus> zones, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plans = await _store.ListPlansAsync(spec.Name, cancellationToken);
        var valid = plans.Where(p => !p.IsRejected).Select(p => p.Plan).ToList();
        var latest = valid.Count == 0 ? null : valid[^1];
        var selfPreservation = zones.GetValueOrDefault(spec.Zone) ?? SelfPreservationStatus.Inactive;
        return (new PlannerInput(spec, health, latest, valid, selfPreservation, now), latest);
    }

    private async Task<Plan?> WriteAsync(PlanDraft draft, PlanOrigin origin, string? overrideReason, CancellationToken cancellationToken)
    {
        var generation = await _store.AllocateGenerationAsync(cancellationToken);
        var plan = draft.ToPlan(generation, _time.GetUtcNow(), origin, overrideReason);
        var outcome = await _store.WritePlanAsync(plan, cancellationToken);
        if (!outcome.Written)
        {
            return null;
        }

        _observer.PlanWritten(plan);
        return plan;
    }

    public void Dispose() => _pass.Dispose();

    // Guardrail decisions repeat on every pass while a condition lasts; report each endpoint's set once per change.
    private void Report(string endpoint, PlanningResult result)
    {
        var fired = result.Decisions.Where(d => d.Fired).ToList();
        var key = string.Join('|', fired.Select(d => d.Guardrail + ":" + d.Verdict));
        if (_lastReported.TryGetValue(endpoint, out var last) && last == key && !result.HasChange)
        {
            return;
        }

        _lastReported[endpoint] = key;
        foreach (var decision in fired)
        {
            _observer.GuardrailFired(_options.Actor, endpoint, decision);
        }
    }
}
