using System.Runtime.CompilerServices;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.ControlPlane.Store;

/// <summary>Single-item forms of the batch calls, and reads composed from the contract, identical for every store.</summary>
public static class ControlStoreExtensions
{
    /// <summary>Page size of the "all" listings below.</summary>
    public const int ListPageSize = 1000;

    /// <summary>Returns a generation strictly above every generation this store ever returned, durably.</summary>
    public static Task<Generation> AllocateGenerationAsync(this IControlStore store, CancellationToken cancellationToken = default) =>
        store.AllocateGenerationsAsync(1, cancellationToken);

    /// <summary>Stores one plan (see <see cref="IControlStore.WritePlansAsync"/>).</summary>
    public static async Task<PlanWriteOutcome> WritePlanAsync(this IControlStore store, Plan plan, string actor = "planner", IReadOnlyList<AuditNote>? notes = null, CancellationToken cancellationToken = default) =>
        (await store.WritePlansAsync([new PlanWrite(plan, actor, notes)], cancellationToken))[0];

    /// <summary>The fence for one endpoint (see <see cref="IControlStore.ConditionalApplyAsync"/>).</summary>
    public static async Task<ApplyOutcome> ConditionalApplyAsync(this IControlStore store, string endpoint, Generation generation, string enactorId, CancellationToken cancellationToken = default) =>
        (await store.ConditionalApplyAsync([new ApplyRequest(endpoint, generation)], enactorId, cancellationToken))[0];

    /// <summary>Cleanup of one endpoint (see <see cref="IControlStore.CleanupAsync"/>).</summary>
    public static async Task<CleanupOutcome> CleanupAsync(this IControlStore store, string endpoint, int keep, TimeSpan retain, CancellationToken cancellationToken = default) =>
        (await store.CleanupAsync([new CleanupRequest(endpoint, keep, retain)], cancellationToken))[0];

    /// <summary>One endpoint with the parts asked for; its fields are null or empty when it does not exist.</summary>
    public static async Task<StoredEndpoint> ReadEndpointAsync(this IControlStore store, string name, EndpointParts parts = EndpointParts.All, CancellationToken cancellationToken = default) =>
        (await store.ReadEndpointsAsync([name], parts, cancellationToken))[0];

    /// <summary>The endpoint's desired state, or null when it does not exist.</summary>
    public static async Task<EndpointSpec?> GetEndpointAsync(this IControlStore store, string name, CancellationToken cancellationToken = default) =>
        (await store.ReadEndpointAsync(name, EndpointParts.Spec, cancellationToken)).Spec;

    /// <summary>What is live for the endpoint, or null if nothing is.</summary>
    public static async Task<AppliedState?> GetAppliedAsync(this IControlStore store, string endpoint, CancellationToken cancellationToken = default) =>
        (await store.ReadEndpointAsync(endpoint, EndpointParts.Applied, cancellationToken)).Applied;

    /// <summary>Every stored plan of the endpoint, oldest generation first.</summary>
    public static async Task<IReadOnlyList<PlanEntry>> ListPlansAsync(this IControlStore store, string endpoint, CancellationToken cancellationToken = default) =>
        (await store.ReadEndpointAsync(endpoint, EndpointParts.Plans, cancellationToken)).Plans;

    /// <summary>The newest plan of the endpoint that no enactor rejected, or null.</summary>
    public static async Task<PlanEntry?> GetLatestValidPlanAsync(this IControlStore store, string endpoint, CancellationToken cancellationToken = default) =>
        (await store.ReadEndpointAsync(endpoint, EndpointParts.Plans, cancellationToken)).LatestValidPlan;

    /// <summary>Creates or replaces one endpoint (see <see cref="IControlStore.PutEndpointsAsync"/>).</summary>
    public static async Task<EndpointWriteOutcome> PutEndpointAsync(this IControlStore store, EndpointSpec endpoint, string actor, CancellationToken cancellationToken = default) =>
        (await store.PutEndpointsAsync([endpoint], actor, cancellationToken))[0];

    /// <summary>Deletes one endpoint with its plans and applied state (see <see cref="IControlStore.DeleteEndpointsAsync"/>).</summary>
    public static async Task<bool> DeleteEndpointAsync(this IControlStore store, string name, string actor, CancellationToken cancellationToken = default) =>
        (await store.DeleteEndpointsAsync([name], actor, cancellationToken))[0];

    /// <summary>Appends one entry and returns it as stored.</summary>
    public static async Task<AuditEntry> AppendAuditAsync(this IControlStore store, AuditEntry entry, CancellationToken cancellationToken = default) =>
        (await store.AppendAuditAsync([entry], cancellationToken))[0];

    /// <summary>Every endpoint with the parts asked for, page by page (O(all endpoints): for safety nets, start-up and streamed listings).</summary>
    public static async IAsyncEnumerable<StoredEndpoint> EnumerateEndpointsAsync(
        this IControlStore store,
        EndpointParts parts,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? after = null;
        do
        {
            var page = await store.ListEndpointsAsync(after, ListPageSize, parts, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>Every endpoint's desired state, ordinal order of name (O(all endpoints)).</summary>
    public static async Task<IReadOnlyList<EndpointSpec>> ListAllEndpointsAsync(this IControlStore store, CancellationToken cancellationToken = default)
    {
        var all = new List<EndpointSpec>();
        await foreach (var item in store.EnumerateEndpointsAsync(EndpointParts.Spec, cancellationToken))
        {
            all.Add(item.Spec!);
        }

        return all;
    }

    /// <summary>The zone, or null when it does not exist.</summary>
    public static async Task<StoredZone?> GetZoneAsync(this IControlStore store, string apex, CancellationToken cancellationToken = default) =>
        (await store.ListZonesAsync(cancellationToken)).FirstOrDefault(z => z.Spec.Apex == apex);

    /// <summary>
    /// The ordered, resumable feed from <paramref name="afterRevision"/>: yields every page with changes once, in
    /// revision order, and waits (up to <paramref name="maxWait"/> at a time, woken by the store) for more. A compacted
    /// page is yielded too: the consumer must then read afresh what it mirrors.
    /// </summary>
    public static async IAsyncEnumerable<ChangePage> WatchAsync(
        this IControlStore store,
        long afterRevision,
        TimeSpan maxWait,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var revision = afterRevision;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await store.ReadChangesAsync(revision, 1024, cancellationToken);
            var advanced = page.Revision > revision;
            revision = Math.Max(revision, page.Revision);
            if (page.Compacted || page.Changes.Count > 0)
            {
                yield return page;
            }

            if (!advanced && !page.Compacted)
            {
                await store.WaitForChangeAsync(revision, maxWait, cancellationToken);
            }
        }
    }
}
