using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// The control store in memory, for tests and the simulator. One lock makes every operation atomic and
/// linearizable; nothing survives the process. Timestamps come from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class InMemoryControlStore : IControlStore
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly SortedDictionary<string, SortedDictionary<long, PlanEntry>> _plans = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, AppliedState> _applied = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ZoneSpec> _zones = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, EndpointSpec> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FreezeSwitch> _endpointFreezes = new(StringComparer.Ordinal);
    private readonly List<AuditEntry> _audit = [];
    private readonly List<AppliedChange> _changes = [];
    private FreezeSwitch? _globalFreeze;
    private long _generation;
    private TaskCompletionSource _changed = NewSignal();

    public InMemoryControlStore(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    public Task<Generation> AllocateGenerationAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(new Generation(++_generation));
        }
    }

    public Task<PlanWriteOutcome> WritePlanAsync(Plan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (_lock)
        {
            // Look without creating: a refused write must not make the endpoint appear in ListPlannedEndpoints.
            var latest = _plans.TryGetValue(plan.Endpoint, out var existing) && existing.Count > 0 ? new Generation(existing.Keys.Last()) : Generation.None;
            var applied = _applied.TryGetValue(plan.Endpoint, out var a) ? a.Generation : Generation.None;
            var floor = latest > applied ? latest : applied;
            if (plan.Generation <= floor)
            {
                return Task.FromResult(PlanWriteOutcome.NotNewer(floor));
            }

            PlansOf(plan.Endpoint)[plan.Generation.Value] = new PlanEntry(plan);
            _generation = Math.Max(_generation, plan.Generation.Value);
            Audit("planner", "plan.written", plan.Endpoint, $"{plan.Generation} with {plan.Records.Length} records: {plan.Reason}");
            return Task.FromResult(PlanWriteOutcome.Success(plan.Generation));
        }
    }

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_plans.TryGetValue(endpoint, out var plans) && plans.TryGetValue(generation.Value, out var entry) ? entry : null);
        }
    }

    public Task<IReadOnlyList<PlanEntry>> ListPlansAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<PlanEntry> list = _plans.TryGetValue(endpoint, out var plans) ? [.. plans.Values] : [];
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<string>> ListPlannedEndpointsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<string> names = [.. _plans.Keys.Union(_applied.Keys).Order(StringComparer.Ordinal)];
            return Task.FromResult(names);
        }
    }

    public Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_plans.TryGetValue(endpoint, out var plans) || !plans.TryGetValue(generation.Value, out var entry) || entry.WasApplied || entry.IsRejected)
            {
                return Task.FromResult(false);
            }

            plans[generation.Value] = entry with { RejectedReason = reason };
            Audit(actor, "plan.rejected", endpoint, $"{generation}: {reason}");
            return Task.FromResult(true);
        }
    }

    public Task<ApplyOutcome> ConditionalApplyAsync(string endpoint, Generation generation, string enactorId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var current = _applied.TryGetValue(endpoint, out var applied) ? applied.Generation : Generation.None;
            if (generation <= current)
            {
                return Task.FromResult(ApplyOutcome.Stale(current));
            }

            if (!_plans.TryGetValue(endpoint, out var plans) || !plans.TryGetValue(generation.Value, out var entry))
            {
                return Task.FromResult(ApplyOutcome.Rejected(current, $"plan {generation} does not exist"));
            }

            if (entry.IsRejected)
            {
                return Task.FromResult(ApplyOutcome.Rejected(current, $"plan {generation} was rejected: {entry.RejectedReason}"));
            }

            if (entry.Plan.Records.IsEmpty)
            {
                return Task.FromResult(ApplyOutcome.Rejected(current, $"plan {generation} has no records"));
            }

            if ((_globalFreeze ?? (_endpointFreezes.TryGetValue(endpoint, out var f) ? f : null)) is { } freeze)
            {
                return Task.FromResult(ApplyOutcome.Frozen(current, freeze.Reason));
            }

            var now = _time.GetUtcNow();
            var revision = _changes.Count == 0 ? 1 : _changes[^1].Revision + 1;
            _applied[endpoint] = new AppliedState(endpoint, generation, entry.Plan.Records, enactorId, now, revision);
            plans[generation.Value] = entry with { FirstAppliedAt = entry.FirstAppliedAt ?? now };
            _changes.Add(new AppliedChange(revision, endpoint, generation, entry.Plan.Records, enactorId, now));
            Audit(enactorId, "apply.applied", endpoint, $"{current} -> {generation} ({entry.Plan.Records.Length} records)");
            var signal = _changed;
            _changed = NewSignal();
            signal.TrySetResult();
            return Task.FromResult(ApplyOutcome.Applied(generation, revision));
        }
    }

    public Task<AppliedState?> GetAppliedAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_applied.TryGetValue(endpoint, out var a) ? a : null);
        }
    }

    public Task<IReadOnlyList<AppliedState>> ListAppliedAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<AppliedState> list = [.. _applied.Values];
            return Task.FromResult(list);
        }
    }

    public Task<CleanupOutcome> CleanupAsync(string endpoint, int keep, TimeSpan retain, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        lock (_lock)
        {
            var applied = _applied.TryGetValue(endpoint, out var a) ? a.Generation : Generation.None;
            if (applied == Generation.None || !_plans.TryGetValue(endpoint, out var plans))
            {
                return Task.FromResult(new CleanupOutcome(applied, []));
            }

            var victims = CleanupPolicy.Select(plans.Values, applied, keep, _time.GetUtcNow() - retain);
            foreach (var g in victims)
            {
                plans.Remove(g.Value);
            }

            if (victims.Count > 0)
            {
                Audit("cleanup", "cleanup.deleted", endpoint, $"below applied {applied}: {string.Join(' ', victims)}");
            }

            return Task.FromResult(new CleanupOutcome(applied, victims));
        }
    }

    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(new FreezeState(_globalFreeze, new Dictionary<string, FreezeSwitch>(_endpointFreezes, StringComparer.Ordinal)));
        }
    }

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var freeze = new FreezeSwitch(reason, actor, _time.GetUtcNow());
            if (endpoint is null)
            {
                _globalFreeze = freeze;
            }
            else
            {
                _endpointFreezes[endpoint] = freeze;
            }

            Audit(actor, "freeze.set", endpoint, reason);
            return Task.CompletedTask;
        }
    }

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var had = endpoint is null ? _globalFreeze is not null : _endpointFreezes.ContainsKey(endpoint);
            if (endpoint is null)
            {
                _globalFreeze = null;
            }
            else
            {
                _endpointFreezes.Remove(endpoint);
            }

            if (had)
            {
                Audit(actor, "freeze.cleared", endpoint, reason);
            }

            return Task.CompletedTask;
        }
    }

    public Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        lock (_lock)
        {
            _zones[zone.Apex] = zone;
            Audit(actor, "zone.put", null, zone.Apex);
            return Task.CompletedTask;
        }
    }

    public Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var removed = _zones.Remove(apex);
            if (removed)
            {
                Audit(actor, "zone.deleted", null, apex);
            }

            return Task.FromResult(removed);
        }
    }

    public Task<IReadOnlyList<ZoneSpec>> ListZonesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<ZoneSpec> list = [.. _zones.Values];
            return Task.FromResult(list);
        }
    }

    public Task PutEndpointAsync(EndpointSpec endpoint, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_lock)
        {
            _endpoints[endpoint.Name] = endpoint;
            Audit(actor, "endpoint.put", endpoint.Name, $"{endpoint.Targets.Length} targets");
            return Task.CompletedTask;
        }
    }

    public Task<bool> DeleteEndpointAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var removed = _endpoints.Remove(name);
            if (removed)
            {
                Audit(actor, "endpoint.deleted", name, name);
            }

            return Task.FromResult(removed);
        }
    }

    public Task<IReadOnlyList<EndpointSpec>> ListEndpointsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<EndpointSpec> list = [.. _endpoints.Values];
            return Task.FromResult(list);
        }
    }

    public Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            var stored = entry with { Sequence = _audit.Count + 1 };
            _audit.Add(stored);
            return Task.FromResult(stored);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var start = (int)Math.Clamp(afterSequence, 0, _audit.Count);
            IReadOnlyList<AuditEntry> list = _audit.GetRange(start, Math.Min(max, _audit.Count - start));
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<AppliedChange>> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // Revisions are 1..n without gaps, so revision r sits at index r-1.
            var start = (int)Math.Clamp(afterRevision, 0, _changes.Count);
            IReadOnlyList<AppliedChange> list = _changes.GetRange(start, Math.Min(max, _changes.Count - start));
            return Task.FromResult(list);
        }
    }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_changes.Count == 0 ? 0L : _changes[^1].Revision);
        }
    }

    public async Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        Task signal;
        lock (_lock)
        {
            if (_changes.Count > 0 && _changes[^1].Revision > afterRevision)
            {
                return;
            }

            signal = _changed.Task;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(maxWait, _time, timeout.Token);
        await Task.WhenAny(signal, delay);
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private SortedDictionary<long, PlanEntry> PlansOf(string endpoint)
    {
        if (!_plans.TryGetValue(endpoint, out var plans))
        {
            plans = [];
            _plans[endpoint] = plans;
        }

        return plans;
    }

    private void Audit(string actor, string action, string? endpoint, string detail) =>
        _audit.Add(new AuditEntry(_audit.Count + 1, _time.GetUtcNow(), actor, action, endpoint, detail));

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
