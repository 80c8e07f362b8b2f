using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.ControlPlane.Loops;

/// <summary>
/// The loop the planner and the enactors share: follow the store's change feed (the consumer marks what it must look at
/// in its <see cref="DirtySet"/>), wake on marks, let a burst coalesce for the wake delay (jittered, so that workers
/// woken by one change do not reach the store in step), work the dirty batch, and run a full pass first and then every
/// full-pass interval (± jitter) as the level-triggered safety net. A failed pass is reported, and a full pass follows
/// soon. When nothing changes, nothing runs but one wait on the feed and one on the dirty set.
/// </summary>
public sealed class WorkerLoop(
    IControlStore store,
    DirtySet dirty,
    TimeProvider time,
    Random random,
    WorkerLoopTimings timings)
{
    /// <summary>Runs until cancelled. Never throws but on cancellation.</summary>
    /// <param name="onPage">Reads a page of the change feed (marks, caches); quick, on the follower's flow.</param>
    /// <param name="fullPass">A pass over everything.</param>
    /// <param name="dirtyPass">A pass over the names taken from the dirty set.</param>
    /// <param name="onFailure">Reports a failed pass or feed read (the loop goes on).</param>
    public async Task RunAsync(
        Func<ChangePage, Task> onPage,
        Func<CancellationToken, Task> fullPass,
        Func<IReadOnlyList<string>, CancellationToken, Task> dirtyPass,
        Action<Exception> onFailure,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onPage);
        ArgumentNullException.ThrowIfNull(fullPass);
        ArgumentNullException.ThrowIfNull(dirtyPass);
        ArgumentNullException.ThrowIfNull(onFailure);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? follower = null;
        try
        {
            long from = 0;
            try
            {
                from = await store.GetRevisionAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // From the start of the feed, then: the first page may be compacted, which means a full pass anyway.
                onFailure(ex);
            }

            follower = ChangeFollower.RunAsync(store, from, onPage, onFailure, timings.FeedWait, time, random, stop.Token);
            await RunPassesAsync(fullPass, dirtyPass, onFailure, cancellationToken);
        }
        finally
        {
            // Synchronously, so that the follower's continuations stay on the caller's thread (see AsyncSignal).
            stop.Cancel();
            if (follower is not null)
            {
                try
                {
                    await follower;
                }
                catch (OperationCanceledException)
                {
                    // How the follower stops.
                }
            }
        }
    }

    private async Task RunPassesAsync(
        Func<CancellationToken, Task> fullPass,
        Func<IReadOnlyList<string>, CancellationToken, Task> dirtyPass,
        Action<Exception> onFailure,
        CancellationToken cancellationToken)
    {
        var nextFull = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (now >= nextFull)
            {
                dirty.RequestFullPass();
                nextFull = now + (timings.FullPassInterval * (1 + (((random.NextDouble() * 2) - 1) * timings.Jitter)));
            }

            IReadOnlyList<string> names = [];
            try
            {
                await dirty.WaitAsync(nextFull - now, cancellationToken);
                if (!dirty.FullPassRequested)
                {
                    await Task.Delay(timings.WakeDelay * (0.5 + random.NextDouble()), time, cancellationToken);
                }

                (var full, names) = dirty.Take();
                if (full)
                {
                    await fullPass(cancellationToken);
                }
                else if (names.Count > 0)
                {
                    await dirtyPass(names, cancellationToken);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The store failed: the names wait again, and a full pass comes soon to cover whatever else was lost.
                onFailure(ex);
                dirty.Mark(names);
                nextFull = Min(nextFull, time.GetUtcNow() + (timings.WakeDelay * 100) + TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
