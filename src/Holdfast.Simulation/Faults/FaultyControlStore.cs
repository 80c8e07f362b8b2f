using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Simulation.Faults;

/// <summary>
/// One component's view of the control store, with that component's fault sites in the way: latency, a link cut off,
/// mutations failing before or after commit, the stalled apply, and a change feed that loses pages, delivers old ones
/// again, or disconnects. Every wait is on the injected (virtual) clock and honours cancellation, so a crashed
/// component's pending call dies with it. <paramref name="onMutation"/> runs after every mutation reached the store
/// (the invariant checker's cue).
/// </summary>
public sealed class FaultyControlStore(IControlStore inner, ComponentFaults faults, TimeProvider time, Random random, Action? onMutation = null, Action<string>? onFeedFault = null) : IControlStore
{
    /// <summary>How long a cut-off component waits before its call fails.</summary>
    public static readonly TimeSpan CutOffTimeout = TimeSpan.FromSeconds(2);

    public ComponentFaults Faults { get; } = faults;

    /// <summary>Injected failures so far (before commit, after commit, cut off, feed disconnects).</summary>
    public int InjectedFailures { get; private set; }

    /// <summary>Runs <paramref name="call"/> behind this component's faults; for operations outside the contract (the legacy protocol).</summary>
    public async Task<T> InvokeAsync<T>(string operation, bool mutation, Func<Task<T>> call, CancellationToken cancellationToken, Task? hold = null, Generation? subject = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (Faults.Latency > TimeSpan.Zero)
        {
            // Latency jitters between half and one and a half times the setting.
            await Task.Delay(Faults.Latency * (0.5 + random.NextDouble()), time, cancellationToken);
        }

        if (Faults.CutOff)
        {
            await Task.Delay(CutOffTimeout, time, cancellationToken);
            InjectedFailures++;
            throw new StoreFaultException($"{Faults.Component}: {operation} timed out: cut off from the store", committed: false);
        }

        if (hold is not null)
        {
            Faults.Stalled = subject ?? Generation.None;
            try
            {
                await hold.WaitAsync(cancellationToken);
            }
            finally
            {
                Faults.Stalled = null;
            }
        }

        if (mutation && Faults.FailBeforeCommit > 0 && random.NextDouble() < Faults.FailBeforeCommit)
        {
            InjectedFailures++;
            throw new StoreFaultException($"{Faults.Component}: {operation} failed before commit", committed: false);
        }

        var result = await call();
        if (mutation)
        {
            onMutation?.Invoke();
        }

        if (mutation && Faults.FailAfterCommit > 0 && random.NextDouble() < Faults.FailAfterCommit)
        {
            InjectedFailures++;
            throw new StoreFaultException($"{Faults.Component}: {operation} timed out after commit (outcome unknown to the caller)", committed: true);
        }

        return result;
    }

    private Task<bool> Invoke(string operation, Func<Task> call, CancellationToken cancellationToken) =>
        InvokeAsync(operation, mutation: true, async () =>
        {
            await call();
            return true;
        }, cancellationToken);

    public Task<Generation> AllocateGenerationsAsync(int count, CancellationToken cancellationToken = default) =>
        InvokeAsync("allocate", true, () => inner.AllocateGenerationsAsync(count, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PlanWriteOutcome>> WritePlansAsync(IReadOnlyList<PlanWrite> writes, CancellationToken cancellationToken = default) =>
        InvokeAsync("write-plans", true, () => inner.WritePlansAsync(writes, cancellationToken), cancellationToken);

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default) =>
        InvokeAsync("get-plan", false, () => inner.GetPlanAsync(endpoint, generation, cancellationToken), cancellationToken);

    public Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default) =>
        InvokeAsync("reject-plan", true, () => inner.RejectPlanAsync(endpoint, generation, actor, reason, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApplyOutcome>> ConditionalApplyAsync(IReadOnlyList<ApplyRequest> requests, string enactorId, CancellationToken cancellationToken = default) =>
        InvokeAsync("apply", true, () => inner.ConditionalApplyAsync(requests, enactorId, cancellationToken), cancellationToken, TakeApplyHold(), requests.Count > 0 ? requests[0].Generation : null);

    /// <summary>Takes the one-shot stall of the next apply, if one is armed (for applies outside the contract).</summary>
    public Task? TakeApplyHold()
    {
        var hold = Faults.HoldNextApply;
        Faults.HoldNextApply = null;
        return hold;
    }

    public Task<IReadOnlyList<CleanupOutcome>> CleanupAsync(IReadOnlyList<CleanupRequest> requests, CancellationToken cancellationToken = default) =>
        InvokeAsync("cleanup", true, () => inner.CleanupAsync(requests, cancellationToken), cancellationToken);

    public Task<Page<PendingEndpoint>> ListPendingAsync(string? after, int limit, CancellationToken cancellationToken = default) =>
        InvokeAsync("list-pending", false, () => inner.ListPendingAsync(after, limit, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<StoredEndpoint>> ReadEndpointsAsync(IReadOnlyList<string> names, EndpointParts parts, CancellationToken cancellationToken = default) =>
        InvokeAsync("read-endpoints", false, () => inner.ReadEndpointsAsync(names, parts, cancellationToken), cancellationToken);

    public Task<Page<StoredEndpoint>> ListEndpointsAsync(string? after, int limit, EndpointParts parts, CancellationToken cancellationToken = default) =>
        InvokeAsync("list-endpoints", false, () => inner.ListEndpointsAsync(after, limit, parts, cancellationToken), cancellationToken);

    public Task<int> CountEndpointsAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("count-endpoints", false, () => inner.CountEndpointsAsync(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<EndpointWriteOutcome>> PutEndpointsAsync(IReadOnlyList<EndpointSpec> endpoints, string actor, CancellationToken cancellationToken = default) =>
        InvokeAsync("put-endpoints", true, () => inner.PutEndpointsAsync(endpoints, actor, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<bool>> DeleteEndpointsAsync(IReadOnlyList<string> names, string actor, CancellationToken cancellationToken = default) =>
        InvokeAsync("delete-endpoints", true, () => inner.DeleteEndpointsAsync(names, actor, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PlanEntry>> ListAlarmsAsync(int limit, CancellationToken cancellationToken = default) =>
        InvokeAsync("list-alarms", false, () => inner.ListAlarmsAsync(limit, cancellationToken), cancellationToken);

    public Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default) =>
        Invoke("put-zone", () => inner.PutZoneAsync(zone, actor, cancellationToken), cancellationToken);

    public Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default) =>
        InvokeAsync("delete-zone", true, () => inner.DeleteZoneAsync(apex, actor, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<StoredZone>> ListZonesAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("list-zones", false, () => inner.ListZonesAsync(cancellationToken), cancellationToken);

    public Task<StaticZoneVersion> SetStaticZoneAsync(string apex, string digest, string actor, CancellationToken cancellationToken = default) =>
        InvokeAsync("set-static-zone", true, () => inner.SetStaticZoneAsync(apex, digest, actor, cancellationToken), cancellationToken);

    public Task<ServingState> ReadServingStateAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("read-serving", false, () => inner.ReadServingStateAsync(cancellationToken), cancellationToken);

    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("get-freeze", false, () => inner.GetFreezeAsync(cancellationToken), cancellationToken);

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        Invoke("set-freeze", () => inner.SetFreezeAsync(endpoint, reason, actor, cancellationToken), cancellationToken);

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        Invoke("clear-freeze", () => inner.ClearFreezeAsync(endpoint, reason, actor, cancellationToken), cancellationToken);

    public Task ReleaseSelfPreservationAsync(string zone, string actor, string reason, CancellationToken cancellationToken = default) =>
        Invoke("release-self-preservation", () => inner.ReleaseSelfPreservationAsync(zone, actor, reason, cancellationToken), cancellationToken);

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetSelfPreservationReleasesAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("get-releases", false, () => inner.GetSelfPreservationReleasesAsync(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default) =>
        InvokeAsync("append-audit", true, () => inner.AppendAuditAsync(entries, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default) =>
        InvokeAsync("read-audit", false, () => inner.ReadAuditAsync(afterSequence, max, cancellationToken), cancellationToken);

    public Task<long> GetLastAuditSequenceAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("last-audit", false, () => inner.GetLastAuditSequenceAsync(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditForAsync(string endpoint, int max, CancellationToken cancellationToken = default) =>
        InvokeAsync("read-audit-for", false, () => inner.ReadAuditForAsync(endpoint, max, cancellationToken), cancellationToken);

    /// <summary>
    /// The feed, with its own fault sites: a disconnect (the read fails and the follower resumes), a lost page (the
    /// revision moves on, its changes never arrive: a lost wake-up), and old changes delivered again (an event twice).
    /// </summary>
    public Task<ChangePage> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default) =>
        InvokeAsync("read-changes", false, async () =>
        {
            if (Faults.FeedDisconnect > 0 && random.NextDouble() < Faults.FeedDisconnect)
            {
                InjectedFailures++;
                onFeedFault?.Invoke(FaultSites.FeedDisconnect);
                throw new StoreFaultException($"{Faults.Component}: the change feed disconnected", committed: false);
            }

            if (afterRevision > 0 && Faults.FeedDuplicate > 0 && random.NextDouble() < Faults.FeedDuplicate)
            {
                var again = await inner.ReadChangesAsync(Math.Max(0, afterRevision - 1 - random.Next(0, 8)), max, cancellationToken);
                if (again.Changes.Count > 0)
                {
                    onFeedFault?.Invoke(FaultSites.FeedDuplicate);
                    return again;
                }
            }

            var page = await inner.ReadChangesAsync(afterRevision, max, cancellationToken);
            if (page.Changes.Count > 0 && Faults.FeedLoss > 0 && random.NextDouble() < Faults.FeedLoss)
            {
                onFeedFault?.Invoke(FaultSites.FeedLoss);
                return page with { Changes = [] };
            }

            return page;
        }, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("get-revision", false, () => inner.GetRevisionAsync(cancellationToken), cancellationToken);

    public Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        InvokeAsync("wait-change", false, async () =>
        {
            await inner.WaitForChangeAsync(afterRevision, maxWait, cancellationToken);
            return true;
        }, cancellationToken);
}
