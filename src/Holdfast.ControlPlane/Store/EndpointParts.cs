namespace Holdfast.ControlPlane.Store;

/// <summary>Which parts of an endpoint a read returns; reading less is cheaper.</summary>
[Flags]
public enum EndpointParts
{
    None = 0,

    /// <summary>The desired state.</summary>
    Spec = 1,

    /// <summary>What is live.</summary>
    Applied = 2,

    /// <summary>Every stored plan, oldest first.</summary>
    Plans = 4,

    /// <summary>
    /// Only the newest plan no enactor rejected (when there is one), for listings that show the latest generation: one plan
    /// per endpoint instead of its history. Ignored when <see cref="Plans"/> is asked for too.
    /// </summary>
    LatestPlan = 8,

    All = Spec | Applied | Plans,
}

/// <summary>The one reading of <see cref="EndpointParts"/> for plans, shared by the stores that hold plans in memory or read them whole.</summary>
public static class EndpointPartsExtensions
{
    /// <summary>
    /// The plans a read with <paramref name="parts"/> returns from <paramref name="plans"/> (an endpoint's plans, oldest
    /// first): all of them for <see cref="EndpointParts.Plans"/>, only the newest one no enactor rejected for
    /// <see cref="EndpointParts.LatestPlan"/>, none otherwise.
    /// </summary>
    public static IReadOnlyList<PlanEntry> SelectPlans(this EndpointParts parts, IEnumerable<PlanEntry> plans) =>
        parts.HasFlag(EndpointParts.Plans) ? [.. plans]
        : parts.HasFlag(EndpointParts.LatestPlan) ? [.. plans.Where(p => !p.IsRejected).TakeLast(1)]
        : [];
}
