using System.Collections.Immutable;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Simulation.Legacy;

/// <summary>
/// The store of the October 2025 protocol, for the simulator only: plans and the live state have no fence.
/// <see cref="ConditionalApplyAsync"/> writes whatever plan it is given over whatever is live (there is no
/// condition — the name is the contract's), and <see cref="DeletePlansBelowAsync"/> deletes plans by age,
/// removing their records from the live state when one of them is live. Desired state, freeze and audit are
/// kept by an inner <see cref="InMemoryControlStore"/>. Never reachable from the production host.
/// </summary>
public sealed class LegacyControlStore(TimeProvider time) : IControlStore
{
    private readonly InMemoryControlStore _rest = new(time);
    private readonly SortedDictionary<string, SortedDictionary<long, PlanEntry>> _plans = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, AppliedState> _applied = new(StringComparer.Ordinal);
    private long _generation;
    private long _revision;

    public Task<Generation> AllocateGenerationAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new Generation(++_generation));

    public Task<PlanWriteOutcome> WritePlanAsync(Plan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var plans = PlansOf(plan.Endpoint);
        var latest = plans.Count == 0 ? Generation.None : new Generation(plans.Keys.Max());
        if (plan.Generation <= latest)
        {
            return Task.FromResult(PlanWriteOutcome.NotNewer(latest));
        }

        plans[plan.Generation.Value] = new PlanEntry(plan);
        _generation = Math.Max(_generation, plan.Generation.Value);
        return Task.FromResult(PlanWriteOutcome.Success(plan.Generation));
    }

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default) =>
        Task.FromResult(_plans.TryGetValue(endpoint, out var plans) && plans.TryGetValue(generation.Value, out var e) ? e : null);

    public Task<IReadOnlyList<PlanEntry>> ListPlansAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<PlanEntry> list = _plans.TryGetValue(endpoint, out var plans) ? [.. plans.Values] : [];
        return Task.FromResult(list);
    }

    public Task<IReadOnlyList<string>> ListPlannedEndpointsAsync(CancellationToken cancellationToken = default)
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

    /// <summary>Unconditional: makes the plan live whatever is live now. Only a missing plan is refused.</summary>
    public Task<ApplyOutcome> ConditionalApplyAsync(string endpoint, Generation generation, string enactorId, CancellationToken cancellationToken = default)
    {
        var current = _applied.TryGetValue(endpoint, out var a) ? a.Generation : Generation.None;
        if (!_plans.TryGetValue(endpoint, out var plans) || !plans.TryGetValue(generation.Value, out var entry))
        {
            return Task.FromResult(ApplyOutcome.Rejected(current, $"plan {generation} does not exist"));
        }

        var now = time.GetUtcNow();
        _applied[endpoint] = new AppliedState(endpoint, generation, entry.Plan.Records, enactorId, now, ++_revision);
        plans[generation.Value] = entry with { FirstAppliedAt = entry.FirstAppliedAt ?? now };
        return Task.FromResult(ApplyOutcome.Applied(generation, _revision));
    }

    /// <summary>
    /// The legacy write: makes <paramref name="plan"/> — as the enactor read it, perhaps long ago — live over
    /// whatever is live now, even if the plan has since been deleted from the store.
    /// </summary>
    public Task<ApplyOutcome> ApplyPlanAsync(Plan plan, string enactorId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var now = time.GetUtcNow();
        _applied[plan.Endpoint] = new AppliedState(plan.Endpoint, plan.Generation, plan.Records, enactorId, now, ++_revision);
        if (_plans.TryGetValue(plan.Endpoint, out var plans) && plans.TryGetValue(plan.Generation.Value, out var entry))
        {
            plans[plan.Generation.Value] = entry with { FirstAppliedAt = entry.FirstAppliedAt ?? now };
        }

        return Task.FromResult(ApplyOutcome.Applied(plan.Generation, _revision));
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
                _applied[endpoint] = live with { Records = ImmutableArray<PlanRecord>.Empty, Revision = ++_revision };
            }
        }

        return Task.FromResult<IReadOnlyList<Generation>>(victims);
    }

    public Task<AppliedState?> GetAppliedAsync(string endpoint, CancellationToken cancellationToken = default) =>
        Task.FromResult(_applied.TryGetValue(endpoint, out var a) ? a : null);

    public Task<IReadOnlyList<AppliedState>> ListAppliedAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AppliedState> list = [.. _applied.Values];
        return Task.FromResult(list);
    }

    /// <summary>The legacy protocol has no safe cleanup; the fenced enactor's call does nothing here.</summary>
    public Task<CleanupOutcome> CleanupAsync(string endpoint, int keep, TimeSpan retain, CancellationToken cancellationToken = default) =>
        Task.FromResult(new CleanupOutcome(_applied.TryGetValue(endpoint, out var a) ? a.Generation : Generation.None, []));

    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default) => _rest.GetFreezeAsync(cancellationToken);

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        _rest.SetFreezeAsync(endpoint, reason, actor, cancellationToken);

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        _rest.ClearFreezeAsync(endpoint, reason, actor, cancellationToken);

    public Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default) => _rest.PutZoneAsync(zone, actor, cancellationToken);

    public Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default) => _rest.DeleteZoneAsync(apex, actor, cancellationToken);

    public Task<IReadOnlyList<ZoneSpec>> ListZonesAsync(CancellationToken cancellationToken = default) => _rest.ListZonesAsync(cancellationToken);

    public Task PutEndpointAsync(EndpointSpec endpoint, string actor, CancellationToken cancellationToken = default) =>
        _rest.PutEndpointAsync(endpoint, actor, cancellationToken);

    public Task<bool> DeleteEndpointAsync(string name, string actor, CancellationToken cancellationToken = default) =>
        _rest.DeleteEndpointAsync(name, actor, cancellationToken);

    public Task<IReadOnlyList<EndpointSpec>> ListEndpointsAsync(CancellationToken cancellationToken = default) => _rest.ListEndpointsAsync(cancellationToken);

    public Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default) => _rest.AppendAuditAsync(entry, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default) =>
        _rest.ReadAuditAsync(afterSequence, max, cancellationToken);

    public Task<IReadOnlyList<AppliedChange>> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AppliedChange>>([]);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(_revision);

    public Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        Task.Delay(maxWait, time, cancellationToken);

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
