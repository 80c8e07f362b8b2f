using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.ControlPlane.Loops;

/// <summary>
/// Follows the store's change feed from a revision for as long as it runs: hands every page to the consumer, in order,
/// and resumes from the last page it handed over after a failure (a disconnect, a store error), waiting a jittered,
/// growing delay on the injected clock. A compacted page is handed over too: the consumer must re-read what it mirrors.
/// </summary>
public static class ChangeFollower
{
    /// <param name="maxWait">The longest one wait for new changes (the store wakes waiters earlier on every change).</param>
    public static async Task RunAsync(
        IControlStore store,
        long fromRevision,
        Func<ChangePage, Task> onPage,
        Action<Exception> onFailure,
        TimeSpan maxWait,
        TimeProvider time,
        Random random,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(onPage);
        ArgumentNullException.ThrowIfNull(onFailure);
        var revision = fromRevision;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var page in store.WatchAsync(revision, maxWait, cancellationToken))
                {
                    await onPage(page);
                    revision = Math.Max(revision, page.Revision);
                    failures = 0;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                onFailure(ex);
                failures = Math.Min(failures + 1, 6);
                var backoff = TimeSpan.FromMilliseconds(50 * (1 << failures) * (0.5 + random.NextDouble()));
                await Task.Delay(backoff, time, cancellationToken);
            }
        }
    }
}
