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
