using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// Which plans a cleanup may delete, shared by every store so that they agree exactly (invariant I3).
/// </summary>
/// <remarks>
/// Worked example, applied = g7, keep = 2:
/// <code>
/// plan   applied once?  decision
/// g9     no             kept   (newer than applied: maybe about to go live)
/// g7     yes            kept   (live)
/// g6     yes            kept   (good plan 1 of 2)
/// g5     no (rejected)  delete
/// g4     yes            kept   (good plan 2 of 2)
/// g2     yes            delete
/// </code>
/// </remarks>
public static class CleanupPolicy
{
    public static IReadOnlyList<Generation> Select(IEnumerable<PlanEntry> plans, Generation applied, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        var victims = new List<Generation>();
        var goodKept = 0;
        foreach (var entry in plans.Where(p => p.Plan.Generation < applied).OrderByDescending(p => p.Plan.Generation))
        {
            if (entry.WasApplied && goodKept < keep)
            {
                goodKept++;
                continue;
            }

            victims.Add(entry.Plan.Generation);
        }

        victims.Sort();
        return victims;
    }
}
