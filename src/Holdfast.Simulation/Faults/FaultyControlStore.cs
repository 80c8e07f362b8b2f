using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Simulation.Faults;

/// <summary>
/// One component's view of the control store, with that component's fault sites in the way: latency, a
/// link cut off, mutations failing before or after commit, and the stalled apply. Every wait is on the
/// injected (virtual) clock and honours cancellation, so a crashed component's pending call dies with it.
/// <paramref name="onMutation"/> runs after every mutation reached the store (the invariant checker's cue).
/// </summary>
public sealed class FaultyControlStore(IControlStore inner, ComponentFaults faults, TimeProvider time, Random random, Action? onMutation = null) : IControlStore
{
    /// <summary>How long a cut-off component waits before its call fails.</summary>
    public static readonly TimeSpan CutOffTimeout = TimeSpan.FromSeconds(2);

    public ComponentFaults Faults { get; } = faults;

    /// <summary>Injected failures so far (before commit, after commit, cut off).</summary>
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

    public Task<Generation> AllocateGenerationAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("allocate", true, () => inner.AllocateGenerationAsync(cancellationToken), cancellationToken);

    public Task<PlanWriteOutcome> WritePlanAsync(Plan plan, CancellationToken cancellationToken = default) =>
        InvokeAsync("write-plan", true, () => inner.WritePlanAsync(plan, cancellationToken), cancellationToken);

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default) =>
        InvokeAsync("get-plan", false, () => inner.GetPlanAsync(endpoint, generation, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PlanEntry>> ListPlansAsync(string endpoint, CancellationToken cancellationToken = default) =>
        InvokeAsync("list-plans", false, () => inner.ListPlansAsync(endpoint, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> ListPlannedEndpointsAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("list-planned", false, () => inner.ListPlannedEndpointsAsync(cancellationToken), cancellationToken);

    public Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default) =>
        InvokeAsync("reject-plan", true, () => inner.RejectPlanAsync(endpoint, generation, actor, reason, cancellationToken), cancellationToken);

    public Task<ApplyOutcome> ConditionalApplyAsync(string endpoint, Generation generation, string enactorId, CancellationToken cancellationToken = default) =>
        InvokeAsync("apply", true, () => inner.ConditionalApplyAsync(endpoint, generation, enactorId, cancellationToken), cancellationToken, TakeApplyHold(), generation);

    /// <summary>Takes the one-shot stall of the next apply, if one is armed (for applies outside the contract).</summary>
    public Task? TakeApplyHold()
    {
        var hold = Faults.HoldNextApply;
        Faults.HoldNextApply = null;
        return hold;
    }

    public Task<AppliedState?> GetAppliedAsync(string endpoint, CancellationToken cancellationToken = default) =>
        InvokeAsync("get-applied", false, () => inner.GetAppliedAsync(endpoint, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AppliedState>> ListAppliedAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("list-applied", false, () => inner.ListAppliedAsync(cancellationToken), cancellationToken);

    public Task<CleanupOutcome> CleanupAsync(string endpoint, int keep, TimeSpan retain, CancellationToken cancellationToken = default) =>
        InvokeAsync("cleanup", true, () => inner.CleanupAsync(endpoint, keep, retain, cancellationToken), cancellationToken);

    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("get-freeze", false, () => inner.GetFreezeAsync(cancellationToken), cancellationToken);

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        Invoke("set-freeze", () => inner.SetFreezeAsync(endpoint, reason, actor, cancellationToken), cancellationToken);

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        Invoke("clear-freeze", () => inner.ClearFreezeAsync(endpoint, reason, actor, cancellationToken), cancellationToken);

    public Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default) =>
        Invoke("put-zone", () => inner.PutZoneAsync(zone, actor, cancellationToken), cancellationToken);

    public Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default) =>
        InvokeAsync("delete-zone", true, () => inner.DeleteZoneAsync(apex, actor, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ZoneSpec>> ListZonesAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("list-zones", false, () => inner.ListZonesAsync(cancellationToken), cancellationToken);

    public Task PutEndpointAsync(EndpointSpec endpoint, string actor, CancellationToken cancellationToken = default) =>
        Invoke("put-endpoint", () => inner.PutEndpointAsync(endpoint, actor, cancellationToken), cancellationToken);

    public Task<bool> DeleteEndpointAsync(string name, string actor, CancellationToken cancellationToken = default) =>
        InvokeAsync("delete-endpoint", true, () => inner.DeleteEndpointAsync(name, actor, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<EndpointSpec>> ListEndpointsAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("list-endpoints", false, () => inner.ListEndpointsAsync(cancellationToken), cancellationToken);

    public Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        InvokeAsync("append-audit", true, () => inner.AppendAuditAsync(entry, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default) =>
        InvokeAsync("read-audit", false, () => inner.ReadAuditAsync(afterSequence, max, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AppliedChange>> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default) =>
        InvokeAsync("read-changes", false, () => inner.ReadChangesAsync(afterRevision, max, cancellationToken), cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync("get-revision", false, () => inner.GetRevisionAsync(cancellationToken), cancellationToken);

    public Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        InvokeAsync("wait-change", false, async () =>
        {
            await inner.WaitForChangeAsync(afterRevision, maxWait, cancellationToken);
            return true;
        }, cancellationToken);
}
