using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Store;
using Holdfast.Simulation.Faults;

namespace Holdfast.Simulation.Legacy;

/// <summary>
/// The enactor of the October 2025 incident, for the simulator only. Per endpoint and pass: compute the
/// change from the live plan (which must exist), read the latest plan, check once that it is newer than
/// what is live, then — after whatever delay the world imposes — apply it unconditionally, and clean up
/// every plan more than <see cref="AgeGenerations"/> generations older than its own plan, live or not.
/// </summary>
/// <remarks>
/// Each step is what the public accounts describe; together they let a delayed enactor overwrite a newer
/// plan with an old one, and a fast enactor's cleanup delete the plan that just went live (empty answer).
/// With the live plan gone every pass fails at the first step, which is the state no enactor recovers from.
/// </remarks>
public sealed class LegacyEnactor(
    string id,
    FaultyControlStore store,
    LegacyControlStore legacy,
    TimeSpan interval,
    TimeProvider time,
    Random random,
    IControlPlaneObserver observer)
{
    /// <summary>"Much older": plans this many generations below the enactor's own plan are deleted.</summary>
    public const int AgeGenerations = 3;

    public string Id { get; } = id;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileOnceAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                observer.PassFailed(Id, null, ex);
            }

            await Task.Delay(interval * (0.8 + (0.4 * random.NextDouble())), time, cancellationToken);
        }
    }

    public async Task ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in await store.InvokeAsync("list-planned", mutation: false, legacy.ListPlannedEndpointsAsync, cancellationToken))
        {
            try
            {
                await ReconcileEndpointAsync(endpoint, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                observer.PassFailed(Id, endpoint, ex);
            }
        }
    }

    private async Task ReconcileEndpointAsync(string endpoint, CancellationToken cancellationToken)
    {
        var applied = await store.GetAppliedAsync(endpoint, cancellationToken);
        if (applied is not null && await store.GetPlanAsync(endpoint, applied.Generation, cancellationToken) is null)
        {
            throw new InvalidOperationException($"live plan {applied.Generation} of {endpoint} is missing; cannot compute the change set");
        }

        var plans = await store.ListPlansAsync(endpoint, cancellationToken);
        var latest = plans.LastOrDefault(p => !p.IsRejected);
        if (latest is null || (await store.GetFreezeAsync(cancellationToken)).For(endpoint) is not null)
        {
            return;
        }

        // The one-time freshness check: nothing looks again before the write.
        if (latest.Plan.Generation <= (applied?.Generation ?? Generation.None))
        {
            return;
        }

        var outcome = await store.InvokeAsync("apply", mutation: true, () => legacy.ApplyPlanAsync(latest.Plan, Id), cancellationToken, store.TakeApplyHold(), latest.Plan.Generation);
        observer.ApplyAttempted(Id, endpoint, latest.Plan.Generation, outcome);
        var below = new Generation(latest.Plan.Generation.Value - AgeGenerations);
        var deleted = await store.InvokeAsync("legacy-cleanup", mutation: true, () => legacy.DeletePlansBelowAsync(endpoint, below), cancellationToken);
        if (deleted.Count > 0)
        {
            observer.CleanedUp(Id, endpoint, new CleanupOutcome(endpoint, latest.Plan.Generation, deleted));
        }
    }
}
