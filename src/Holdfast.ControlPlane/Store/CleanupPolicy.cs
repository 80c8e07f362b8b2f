using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// Which plans a cleanup may delete, shared by every store so that they agree exactly (invariant I3).
/// </summary>
/// <remarks>
/// Worked example, applied = g7, keep = 2, nothing created within the retain window:
/// <code>
/// plan   applied once?  decision
/// g9     no             kept   (newer than applied: maybe about to go live)
/// g7     yes            kept   (live)
/// g6     yes            kept   (good plan 1 of 2)
/// g5     no (rejected)  delete
/// g4     yes            kept   (good plan 2 of 2)
/// g2     yes            delete
/// </code>
/// A plan created after <c>retainFrom</c> is kept whatever else holds, and so is the newest plan before it when
/// the plan above that one is inside the window: the velocity limit counts the removals between consecutive
/// plans inside its window, measured from that baseline, and deleting any of them would make removals stop
/// counting (found by the simulator's flapping scenario). With a retain of zero nothing is inside the window.
/// </remarks>
public static class CleanupPolicy
{
    public static IReadOnlyList<Generation> Select(IEnumerable<PlanEntry> plans, Generation applied, int keep, DateTimeOffset retainFrom)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        var victims = new List<Generation>();
        var goodKept = 0;
        var all = plans.ToList();
        // Whether the plan just above the one being considered (starting with the live plan) lies inside the
        // window: if it does, the one being considered is its baseline.
        var newerInWindow = all.Any(p => p.Plan.Generation == applied && p.Plan.CreatedAt > retainFrom);
        foreach (var entry in all.Where(p => p.Plan.Generation < applied).OrderByDescending(p => p.Plan.Generation))
        {
            var inWindow = entry.Plan.CreatedAt > retainFrom;
            var isBaseline = !inWindow && newerInWindow;
            newerInWindow = inWindow;
            if (entry.WasApplied && goodKept < keep)
            {
                goodKept++;
                continue;
            }

            if (!inWindow && !isBaseline)
            {
                victims.Add(entry.Plan.Generation);
            }
        }

        victims.Sort();
        return victims;
    }
}
