using System.Runtime.CompilerServices;

namespace Holdfast.ControlPlane.Store;

/// <summary>Reads composed from the contract, identical for every store.</summary>
public static class ControlStoreExtensions
{
    /// <summary>The newest plan of the endpoint that no enactor rejected, or null.</summary>
    public static async Task<PlanEntry?> GetLatestValidPlanAsync(this IControlStore store, string endpoint, CancellationToken cancellationToken = default)
    {
        var plans = await store.ListPlansAsync(endpoint, cancellationToken);
        for (var i = plans.Count - 1; i >= 0; i--)
        {
            if (!plans[i].IsRejected)
            {
                return plans[i];
            }
        }

        return null;
    }

    /// <summary>
    /// The ordered, resumable feed of applied changes from <paramref name="afterRevision"/>: yields every
    /// change once, in revision order, and waits (up to <paramref name="pollInterval"/> at a time) for more.
    /// </summary>
    public static async IAsyncEnumerable<AppliedChange> WatchAsync(
        this IControlStore store,
        long afterRevision,
        TimeSpan pollInterval,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var revision = afterRevision;
        while (!cancellationToken.IsCancellationRequested)
        {
            var changes = await store.ReadChangesAsync(revision, 256, cancellationToken);
            foreach (var change in changes)
            {
                revision = change.Revision;
                yield return change;
            }

            if (changes.Count == 0)
            {
                await store.WaitForChangeAsync(revision, pollInterval, cancellationToken);
            }
        }
    }
}
