namespace Holdfast.ControlPlane.Model;

/// <summary>The aggregated health of a target, as the planner sees it.</summary>
public enum HealthState
{
    /// <summary>No fresh quorum either way (a silent source is unknown, never down). Treated as serving.</summary>
    Unknown,

    /// <summary>A quorum of fresh sources says the target answers.</summary>
    Up,

    /// <summary>A quorum of fresh sources has said the target fails for longer than the grace period.</summary>
    Down,
}
