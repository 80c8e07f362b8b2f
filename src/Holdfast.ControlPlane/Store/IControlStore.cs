using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// The control store contract (docs/design/control-plane.md, "The control store"). Every operation is atomic and
/// linearizable — a batch is one transaction, with an outcome per item — and every mutation appends its own audit
/// entries and change-feed entries in the same transaction. Implementations: <see cref="InMemoryControlStore"/> (tests,
/// simulator), SQLite (embedded default), etcd (clusters); one contract test class runs against each. Thread-safe.
/// Expected outcomes are values; exceptions mean the store itself failed (I/O, corruption, unreachable), and a caller
/// that saw one after sending a commit must read back to learn the outcome. Single-item forms of the batch calls are
/// extension methods (<see cref="ControlStoreExtensions"/>).
/// </summary>
/// <remarks>
/// Sizes: nothing here costs O(all endpoints) but the listings, which page, <see cref="ListPendingAsync"/> and
/// <see cref="ReadServingStateAsync"/> (the safety nets and a follower's start). Every piece of durable state a second
/// node must see lives here: desired state with each target's health check, plans, applied state, freezes,
/// self-preservation releases, the zone files' digests, audit, and the revisions the zone serials derive from.
/// </remarks>
public interface IControlStore
{
    // ---- generations and plans -------------------------------------------------------------------

    /// <summary>
    /// Reserves <paramref name="count"/> (≥ 1) consecutive generations, all strictly above every generation this store
    /// ever returned or stored, durably; returns the first.
    /// </summary>
    Task<Generation> AllocateGenerationsAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores each plan in one transaction, unless its endpoint does not exist or its generation is not above the
    /// endpoint's latest plan and applied generation (then that item changes nothing). Audits <c>plan.written</c> (and the
    /// write's notes) and feeds <see cref="PlanWrittenChange"/> for each plan written.
    /// </summary>
    Task<IReadOnlyList<PlanWriteOutcome>> WritePlansAsync(IReadOnlyList<PlanWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>The plan, or null if it does not exist (never written, cleaned up, or its endpoint deleted).</summary>
    Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a plan that has not been applied as rejected (an enactor's re-check refused it): it will never be applied.
    /// No effect on an applied, rejected or missing plan (returns false). Audits <c>plan.rejected</c> and feeds
    /// <see cref="PlanRejectedChange"/>.
    /// </summary>
    Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default);

    // ---- enactment ---------------------------------------------------------------------------------

    /// <summary>
    /// The fence, per item, in one transaction: if the plan exists, is not rejected, has records, its generation is above
    /// the endpoint's applied generation, and neither the endpoint nor everything is frozen, make its records live,
    /// record <paramref name="enactorId"/> and the time, feed <see cref="AppliedChange"/> and audit <c>apply.applied</c>;
    /// otherwise that item changes nothing and returns Stale (with the current generation), Frozen or Rejected.
    /// Two requests for one endpoint in a batch are decided in order.
    /// </summary>
    Task<IReadOnlyList<ApplyOutcome>> ConditionalApplyAsync(IReadOnlyList<ApplyRequest> requests, string enactorId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Per item, in one transaction: deletes plans strictly older than the endpoint's applied generation except the
    /// newest <see cref="CleanupRequest.Keep"/> that were applied once and those <see cref="CleanupPolicy"/> keeps for the
    /// velocity window (<see cref="CleanupRequest.Retain"/>, on the store's clock). Never deletes the applied plan or
    /// anything newer. Audits <c>cleanup.deleted</c> where it deleted something.
    /// </summary>
    Task<IReadOnlyList<CleanupOutcome>> CleanupAsync(IReadOnlyList<CleanupRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// Endpoints whose newest valid plan is above the applied generation, in ordinal order of name after
    /// <paramref name="after"/>: an enactor's level-triggered safety net reads them all, page by page.
    /// </summary>
    Task<Page<PendingEndpoint>> ListPendingAsync(string? after, int limit, CancellationToken cancellationToken = default);

    // ---- endpoints -----------------------------------------------------------------------------------

    /// <summary>Point reads: one entry per name, in the order given, with the parts asked for (in one consistent read).</summary>
    Task<IReadOnlyList<StoredEndpoint>> ReadEndpointsAsync(IReadOnlyList<string> names, EndpointParts parts, CancellationToken cancellationToken = default);

    /// <summary>Endpoints that exist (have a spec), in ordinal order of name after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    Task<Page<StoredEndpoint>> ListEndpointsAsync(string? after, int limit, EndpointParts parts, CancellationToken cancellationToken = default);

    /// <summary>How many endpoints exist.</summary>
    Task<int> CountEndpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces endpoints' desired state, in one transaction. An endpoint already stored exactly so is
    /// <see cref="EndpointWriteOutcome.Unchanged"/> (no revision, no audit). Otherwise audits <c>endpoint.put</c>, feeds
    /// <see cref="EndpointPutChange"/> and moves the serving revision of its zone (and of the zone it left).
    /// </summary>
    Task<IReadOnlyList<EndpointWriteOutcome>> PutEndpointsAsync(IReadOnlyList<EndpointSpec> endpoints, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes endpoints with their plans, applied state and freeze, in one transaction (a re-created name starts
    /// clean). Audits <c>endpoint.deleted</c>, feeds <see cref="EndpointDeletedChange"/> and moves the zone's serving
    /// revision for each that existed (true).
    /// </summary>
    Task<IReadOnlyList<bool>> DeleteEndpointsAsync(IReadOnlyList<string> names, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Endpoints whose newest valid plan carries an alarm decision that fired (fail-open, a held removal under
    /// self-preservation), with that plan, at most <paramref name="limit"/>, in ordinal order of name.
    /// </summary>
    Task<IReadOnlyList<PlanEntry>> ListAlarmsAsync(int limit, CancellationToken cancellationToken = default);

    // ---- zones -------------------------------------------------------------------------------------

    /// <summary>Creates or replaces a zone; unchanged is a no-op. Audits <c>zone.put</c>, feeds <see cref="ZonePutChange"/>, moves its serving revision.</summary>
    Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a zone (its endpoints stay, unserved, until deleted or moved). Audits <c>zone.deleted</c> and feeds <see cref="ZoneDeletedChange"/>.</summary>
    Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default);

    /// <summary>Every zone, ordinal order of apex.</summary>
    Task<IReadOnlyList<StoredZone>> ListZonesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the digest of the records a zone's files now hold. A digest different from the one recorded counts one
    /// more change, audits <c>zone.static</c>, feeds <see cref="StaticZoneChange"/> and moves the zone's serving revision
    /// (a zone seen for the first time starts at 0 changes); the same digest changes nothing.
    /// </summary>
    Task<StaticZoneVersion> SetStaticZoneAsync(string apex, string digest, string actor, CancellationToken cancellationToken = default);

    /// <summary>Every zone and every endpoint's served data, in one consistent read at the returned revision.</summary>
    Task<ServingState> ReadServingStateAsync(CancellationToken cancellationToken = default);

    // ---- freeze and self-preservation ------------------------------------------------------------------

    Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default);

    /// <summary>Turns a freeze on: global when <paramref name="endpoint"/> is null. Audits <c>freeze.set</c>, feeds <see cref="FreezeChange"/>.</summary>
    Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>Turns a freeze off: global when <paramref name="endpoint"/> is null. Audits <c>freeze.cleared</c>, feeds <see cref="FreezeChange"/> when it was on.</summary>
    Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// An operator's release of a zone's self-preservation at the store's clock: every planner stops holding removals
    /// there and counts only targets that turn down later. Audits <c>self-preservation.released</c>, feeds
    /// <see cref="SelfPreservationReleasedChange"/>.
    /// </summary>
    Task ReleaseSelfPreservationAsync(string zone, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>The last release time of each zone that was ever released.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> GetSelfPreservationReleasesAsync(CancellationToken cancellationToken = default);

    // ---- audit and change feed ---------------------------------------------------------------------

    /// <summary>Appends entries in one transaction (sequences assigned, in order) and returns them as stored.</summary>
    Task<IReadOnlyList<AuditEntry>> AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> entries with sequence above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>The sequence of the newest audit entry (0 when there is none): where a follower of new events starts.</summary>
    Task<long> GetLastAuditSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="max"/> entries about <paramref name="endpoint"/> (or a zone apex), newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditForAsync(string endpoint, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes with revision above <paramref name="afterRevision"/>, in order, at most about <paramref name="max"/> (a
    /// revision is never split, so a page may hold more). Compacted when <paramref name="afterRevision"/> is older than
    /// the feed keeps.
    /// </summary>
    Task<ChangePage> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default);

    /// <summary>The store's current revision (0 when nothing was ever written).</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the revision is above <paramref name="afterRevision"/>, or when <paramref name="maxWait"/> has passed
    /// on the store's clock (whichever first). Never throws on timeout.
    /// </summary>
    Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default);
}
