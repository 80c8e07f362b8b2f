using System.Collections.Immutable;
using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Simulation.Legacy;

/// <summary>
/// The store of the October 2025 protocol, for the simulator only: plans and the live state have no fence.
/// <see cref="ConditionalApplyAsync"/> writes whatever plan it is given over whatever is live (there is no condition —
/// the name is the contract's), and <see cref="DeletePlansBelowAsync"/> deletes plans by age, removing their records
/// from the live state when one of them is live. Desired state, freeze and audit are kept by an inner
/// <see cref="InMemoryControlStore"/>; the change feed is this store's own, so that the DNS server follows the live state
/// exactly as it went, empty records included. Never reachable from the production host. Scheduler thread only.
/// </summary>
public sealed class LegacyControlStore(TimeProvider time) : IControlStore
{
    private readonly InMemoryControlStore _rest = new(time);
    private readonly SortedDictionary<string, SortedDictionary<long, PlanEntry>> _plans = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, AppliedState> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _serving = new(StringComparer.Ordinal);
    private readonly List<StoreChange> _changes = [];
    private readonly AsyncSignal _changed = new();
    private long _generation;
    private long _revision;

    public Task<Generation> AllocateGenerationsAsync(int count, CancellationToken cancellationToken = default)
    {
        var first = _generation + 1;
        _generation += count;
        return Task.FromResult(new Generation(first));
    }

    public Task<IReadOnlyList<PlanWriteOutcome>> WritePlansAsync(IReadOnlyList<PlanWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var outcomes = new List<PlanWriteOutcome>();
        foreach (var write in writes)
        {
            var plan = write.Plan;
            var plans = PlansOf(plan.Endpoint);
            var latest = plans.Count == 0 ? Generation.None : new Generation(plans.Keys.Max());
            if (plan.Generation <= latest)
            {
                outcomes.Add(PlanWriteOutcome.NotNewer(latest));
                continue;
            }

            plans[plan.Generation.Value] = new PlanEntry(plan);
            _generation = Math.Max(_generation, plan.Generation.Value);
            Feed(new PlanWrittenChange(++_revision, plan.Endpoint, plan.Generation, plan.Origin));
            outcomes.Add(PlanWriteOutcome.Success(plan.Generation));
        }

        return Task.FromResult<IReadOnlyList<PlanWriteOutcome>>(outcomes);
    }

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default) =>
        Task.FromResult(_plans.TryGetValue(endpoint, out var plans) && plans.TryGetValue(generation.Value, out var e) ? e : null);

    /// <summary>Every endpoint with a plan or a live state: what the legacy enactor walks.</summary>
    public Task<IReadOnlyList<string>> ListPlannedEndpointsAsync()
    {
        IReadOnlyList<string> names = [.. _plans.Keys.Union(_applied.Keys).Order(StringComparer.Ordinal)];
        return Task.FromResult(names);
    }

    public Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default)
    {
        if (!_plans.TryGetValue(endpoint, out var plans) || !plans.TryGetValue(generation.Value, out var entry) || entry.WasApplied || entry.IsRejected)
        {
            return Task.FromResult(false);
        }

        plans[generation.Value] = entry with { RejectedReason = reason };
        return Task.FromResult(true);
    }

    /// <summary>Unconditional: makes each plan live whatever is live now. Only a missing plan is refused.</summary>
    public Task<IReadOnlyList<ApplyOutcome>> ConditionalApplyAsync(IReadOnlyList<ApplyRequest> requests, string enactorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var outcomes = new List<ApplyOutcome>();
        foreach (var (endpoint, generation) in requests)
        {
            var current = _applied.TryGetValue(endpoint, out var a) ? a.Generation : Generation.None;
            outcomes.Add(!_plans.TryGetValue(endpoint, out var plans) || !plans.TryGetValue(generation.Value, out var entry)
                ? ApplyOutcome.Rejected(current, $"plan {generation} does not exist")
                : MakeLive(entry.Plan, enactorId));
        }

        return Task.FromResult<IReadOnlyList<ApplyOutcome>>(outcomes);
    }

    /// <summary>
    /// The legacy write: makes <paramref name="plan"/> — as the enactor read it, perhaps long ago — live over
    /// whatever is live now, even if the plan has since been deleted from the store.
    /// </summary>
    public Task<ApplyOutcome> ApplyPlanAsync(Plan plan, string enactorId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Task.FromResult(MakeLive(plan, enactorId));
    }

    private ApplyOutcome MakeLive(Plan plan, string enactorId)
    {
        var now = time.GetUtcNow();
        var revision = ++_revision;
        _applied[plan.Endpoint] = new AppliedState(plan.Endpoint, plan.Generation, plan.Records, enactorId, now, revision);
        if (_plans.TryGetValue(plan.Endpoint, out var plans) && plans.TryGetValue(plan.Generation.Value, out var entry))
        {
            plans[plan.Generation.Value] = entry with { FirstAppliedAt = entry.FirstAppliedAt ?? now };
        }

        FeedApplied(plan.Endpoint, plan.Generation, plan.Records, enactorId, revision);
        return ApplyOutcome.Applied(plan.Generation, revision);
    }

    /// <summary>
    /// Legacy cleanup: deletes every plan of the endpoint with a generation below <paramref name="below"/>
    /// (computed by the enactor from its own plan). If the live plan is among them its records go too,
    /// leaving the endpoint with no records — the empty answer of the incident.
    /// </summary>
    public Task<IReadOnlyList<Generation>> DeletePlansBelowAsync(string endpoint, Generation below)
    {
        if (!_plans.TryGetValue(endpoint, out var plans))
        {
            return Task.FromResult<IReadOnlyList<Generation>>([]);
        }

        var victims = plans.Keys.Where(g => g < below.Value).Select(g => new Generation(g)).ToList();
        foreach (var g in victims)
        {
            plans.Remove(g.Value);
            if (_applied.TryGetValue(endpoint, out var live) && live.Generation == g)
            {
                var revision = ++_revision;
                _applied[endpoint] = live with { Records = ImmutableArray<PlanRecord>.Empty, Revision = revision };
                FeedApplied(endpoint, live.Generation, [], live.AppliedBy, revision);
            }
        }

        return Task.FromResult<IReadOnlyList<Generation>>(victims);
    }

    /// <summary>The legacy protocol has no safe cleanup; the fenced enactor's call does nothing here.</summary>
    public Task<IReadOnlyList<CleanupOutcome>> CleanupAsync(IReadOnlyList<CleanupRequest> requests, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CleanupOutcome>>([.. requests.Select(r => new CleanupOutcome(r.Endpoint, _applied.TryGetValue(r.Endpoint, out var a) ? a.Generation : Generation.None, []))]);

    public Task<Page<PendingEndpoint>> ListPendingAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        var pending = _plans
            .Where(p => after is null || string.CompareOrdinal(p.Key, after) > 0)
            .Select(p => new PendingEndpoint(p.Key, p.Value.Values.LastOrDefault(e => !e.IsRejected)?.Plan.Generation ?? Generation.None, _applied.TryGetValue(p.Key, out var a) ? a.Generation : Generation.None))
            .Where(p => p.Latest > p.Applied)
            .ToList();
        var page = pending.Take(limit).ToList();
        return Task.FromResult(new Page<PendingEndpoint>(page, pending.Count > limit ? page[^1].Endpoint : null));
    }

    public async Task<IReadOnlyList<StoredEndpoint>> ReadEndpointsAsync(IReadOnlyList<string> names, EndpointParts parts, CancellationToken cancellationToken = default)
    {
        var specs = await _rest.ReadEndpointsAsync(names, EndpointParts.Spec, cancellationToken);
        return [.. specs.Select(s => new StoredEndpoint(
            s.Name,
            parts.HasFlag(EndpointParts.Spec) ? s.Spec : null,
            parts.HasFlag(EndpointParts.Applied) && _applied.TryGetValue(s.Name, out var a) ? a : null,
            _plans.TryGetValue(s.Name, out var p) ? parts.SelectPlans(p.Values) : []))];
    }

    public async Task<Page<StoredEndpoint>> ListEndpointsAsync(string? after, int limit, EndpointParts parts, CancellationToken cancellationToken = default)
    {
        var page = await _rest.ListEndpointsAsync(after, limit, EndpointParts.Spec, cancellationToken);
        var read = await ReadEndpointsAsync([.. page.Items.Select(i => i.Name)], parts, cancellationToken);
        return new Page<StoredEndpoint>(read, page.Next);
    }

    public Task<int> CountEndpointsAsync(CancellationToken cancellationToken = default) => _rest.CountEndpointsAsync(cancellationToken);

    public async Task<IReadOnlyList<EndpointWriteOutcome>> PutEndpointsAsync(IReadOnlyList<EndpointSpec> endpoints, string actor, CancellationToken cancellationToken = default)
    {
        var outcomes = await _rest.PutEndpointsAsync(endpoints, actor, cancellationToken);
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (outcomes[i] != EndpointWriteOutcome.Unchanged)
            {
                Touch(endpoints[i].Zone);
                Feed(new EndpointPutChange(_revision, endpoints[i], null, outcomes[i] == EndpointWriteOutcome.Created));
            }
        }

        return outcomes;
    }

    public async Task<IReadOnlyList<bool>> DeleteEndpointsAsync(IReadOnlyList<string> names, string actor, CancellationToken cancellationToken = default)
    {
        var specs = await _rest.ReadEndpointsAsync(names, EndpointParts.Spec, cancellationToken);
        var outcomes = await _rest.DeleteEndpointsAsync(names, actor, cancellationToken);
        for (var i = 0; i < names.Count; i++)
        {
            if (outcomes[i])
            {
                _plans.Remove(names[i]);
                _applied.Remove(names[i]);
                Touch(specs[i].Spec!.Zone);
                Feed(new EndpointDeletedChange(_revision, names[i], specs[i].Spec!.Zone));
            }
        }

        return outcomes;
    }

    public Task<IReadOnlyList<PlanEntry>> ListAlarmsAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<PlanEntry>>([]);

    public async Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default)
    {
        await _rest.PutZoneAsync(zone, actor, cancellationToken);
        Touch(zone.Apex);
        Feed(new ZonePutChange(_revision, zone));
    }

    public async Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default)
    {
        var removed = await _rest.DeleteZoneAsync(apex, actor, cancellationToken);
        if (removed)
        {
            Touch(apex);
            Feed(new ZoneDeletedChange(_revision, apex));
        }

        return removed;
    }

    public async Task<IReadOnlyList<StoredZone>> ListZonesAsync(CancellationToken cancellationToken = default) =>
        [.. (await _rest.ListZonesAsync(cancellationToken)).Select(z => z with { ServingRevision = _serving.GetValueOrDefault(z.Spec.Apex) })];

    public async Task<StaticZoneVersion> SetStaticZoneAsync(string apex, string digest, string actor, CancellationToken cancellationToken = default)
    {
        var version = await _rest.SetStaticZoneAsync(apex, digest, actor, cancellationToken);
        if (version.Changed)
        {
            Touch(apex);
            Feed(new StaticZoneChange(_revision, apex, digest, version.Changes));
        }

        return version;
    }

    public async Task<ServingState> ReadServingStateAsync(CancellationToken cancellationToken = default)
    {
        var zones = await ListZonesAsync(cancellationToken);
        var specs = await _rest.ListAllEndpointsAsync(cancellationToken);
        return new ServingState(_revision, zones, [.. specs.Select(s => new ServedEndpoint(
            s.Name, s.Zone, s.Policy.Ttl, s.Policy.MaxAnswers,
            _applied.TryGetValue(s.Name, out var a) ? a.Generation : Generation.None,
            _applied.TryGetValue(s.Name, out var live) ? live.Records : []))]);
    }

    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default) => _rest.GetFreezeAsync(cancellationToken);

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        _rest.SetFreezeAsync(endpoint, reason, actor, cancellationToken);

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        _rest.ClearFreezeAsync(endpoint, reason, actor, cancellationToken);

    public Task ReleaseSelfPreservationAsync(string zone, string actor, string reason, CancellationToken cancellationToken = default) =>
        _rest.ReleaseSelfPreservationAsync(zone, actor, reason, cancellationToken);

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetSelfPreservationReleasesAsync(CancellationToken cancellationToken = default) =>
        _rest.GetSelfPreservationReleasesAsync(cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default) =>
        _rest.AppendAuditAsync(entries, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default) =>
        _rest.ReadAuditAsync(afterSequence, max, cancellationToken);

    public Task<long> GetLastAuditSequenceAsync(CancellationToken cancellationToken = default) => _rest.GetLastAuditSequenceAsync(cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditForAsync(string endpoint, int max, CancellationToken cancellationToken = default) =>
        _rest.ReadAuditForAsync(endpoint, max, cancellationToken);

    public Task<ChangePage> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default)
    {
        var page = _changes.Where(c => c.Revision > afterRevision).Take(max).ToList();
        var through = page.Count == max ? page[^1].Revision : _revision;
        return Task.FromResult(new ChangePage(page, Math.Max(afterRevision, through)));
    }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(_revision);

    public async Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        if (_revision > afterRevision)
        {
            return;
        }

        await _changed.WaitAsync(_changed.Version, maxWait, time, cancellationToken);
    }

    private void FeedApplied(string endpoint, Generation generation, ImmutableArray<PlanRecord> records, string by, long revision)
    {
        var zone = _rest.ReadEndpointsAsync([endpoint], EndpointParts.Spec).Result[0].Spec?.Zone ?? "";
        _serving[zone] = revision;
        Feed(new AppliedChange(revision, endpoint, zone, generation, records, by, time.GetUtcNow()));
    }

    private void Touch(string apex) => _serving[apex] = ++_revision;

    private void Feed(StoreChange change)
    {
        _changes.Add(change);
        _changed.Set();
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
}
