namespace Holdfast.ControlPlane.Store;

/// <summary>The outcome of a conditional apply. Expected outcomes are values, not exceptions.</summary>
public enum ApplyStatus
{
    /// <summary>The plan's records are now live.</summary>
    Applied,

    /// <summary>The endpoint's applied generation is at or above the plan's; nothing changed.</summary>
    Stale,

    /// <summary>The endpoint (or everything) is frozen; nothing changed.</summary>
    Frozen,

    /// <summary>The plan does not exist, is marked rejected, or has no records; nothing changed.</summary>
    Rejected,
}
