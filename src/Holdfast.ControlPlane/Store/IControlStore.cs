using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// The control store contract (ARCHITECTURE.md, "The control store contract"). Every operation is atomic
/// and linearizable; every mutation appends its own audit entry in the same transaction. Implementations:
/// <see cref="InMemoryControlStore"/> (tests, simulator), SQLite (embedded default), etcd (clusters).
/// Thread-safe. Expected outcomes are values; exceptions mean the store itself failed (I/O, corruption),
/// and a caller that saw one after sending a commit must read back to learn the outcome.
/// </summary>
public interface IControlStore
{
    // ---- generations and plans -------------------------------------------------------------------

    /// <summary>Returns a generation strictly above every generation this store ever returned, durably.</summary>
    Task<Generation> AllocateGenerationAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="plan"/>, unless its generation is not above the endpoint's latest plan
    /// (then nothing changes). Audits <c>plan.written</c>.
    /// </summary>
    Task<PlanWriteOutcome> WritePlanAsync(Plan plan, CancellationToken cancellationToken = default);

    /// <summary>The plan, or null if it does not exist (never written, or cleaned up).</summary>
    Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default);

    /// <summary>Every stored plan of the endpoint, oldest generation first.</summary>
    Task<IReadOnlyList<PlanEntry>> ListPlansAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>Names of every endpoint that has a plan or an applied state, ordinal order.</summary>
    Task<IReadOnlyList<string>> ListPlannedEndpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a plan that has not been applied as rejected (an enactor's re-check refused it): it will never
    /// be applied. No effect on an applied or missing plan (returns false). Audits <c>plan.rejected</c>.
    /// </summary>
    Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default);

    // ---- enactment ---------------------------------------------------------------------------------

    /// <summary>
    /// The fence. Atomically: if the plan exists, is not rejected, has records, its generation is above
    /// the endpoint's applied generation, and neither the endpoint nor everything is frozen, make its
    /// records live, record <paramref name="enactorId"/> and the time, append to the change feed and audit
    /// <c>apply.applied</c>; otherwise change nothing and return Stale (with the current generation),
    /// Frozen or Rejected.
    /// </summary>
    Task<ApplyOutcome> ConditionalApplyAsync(string endpoint, Generation generation, string enactorId, CancellationToken cancellationToken = default);

    /// <summary>What is live for the endpoint, or null if nothing was ever applied.</summary>
    Task<AppliedState?> GetAppliedAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>What is live for every endpoint, ordinal order of name.</summary>
    Task<IReadOnlyList<AppliedState>> ListAppliedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically deletes plans of the endpoint strictly older than its applied generation, except the
    /// newest <paramref name="keep"/> of those that were applied once (the last K good plans) and any plan
    /// created within <paramref name="retain"/> of now on the store's clock (the velocity limit reads its
    /// window from that history). Never deletes the applied plan or anything newer. Audits
    /// <c>cleanup.deleted</c> when it deleted something.
    /// </summary>
    Task<CleanupOutcome> CleanupAsync(string endpoint, int keep, TimeSpan retain, CancellationToken cancellationToken = default);

    // ---- freeze ------------------------------------------------------------------------------------

    Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default);

    /// <summary>Turns a freeze on: global when <paramref name="endpoint"/> is null. Audits <c>freeze.set</c>.</summary>
    Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>Turns a freeze off: global when <paramref name="endpoint"/> is null. Audits <c>freeze.cleared</c>.</summary>
    Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default);

    // ---- desired state -----------------------------------------------------------------------------

    /// <summary>Creates or replaces a zone. Audits <c>zone.put</c>.</summary>
    Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default);

    Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ZoneSpec>> ListZonesAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces an endpoint's desired state. Audits <c>endpoint.put</c>.</summary>
    Task PutEndpointAsync(EndpointSpec endpoint, string actor, CancellationToken cancellationToken = default);

    Task<bool> DeleteEndpointAsync(string name, string actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EndpointSpec>> ListEndpointsAsync(CancellationToken cancellationToken = default);

    // ---- audit and change feed ---------------------------------------------------------------------

    /// <summary>Appends an entry (its sequence is assigned) and returns the stored entry.</summary>
    Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> entries with sequence above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> applied changes with revision above <paramref name="afterRevision"/>, in order.</summary>
    Task<IReadOnlyList<AppliedChange>> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default);

    /// <summary>The revision of the newest applied change (0 when none).</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when a change with revision above <paramref name="afterRevision"/> exists, or when
    /// <paramref name="maxWait"/> has passed on the store's clock (whichever first). Never throws on timeout.
    /// </summary>
    Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default);
}
