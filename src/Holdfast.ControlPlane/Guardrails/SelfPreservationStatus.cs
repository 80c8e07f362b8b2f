namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// Self-preservation state of one zone. <paramref name="ReleasedAt"/> is when an operator last released
/// it: down transitions before then no longer count, so a release sticks until new failures arrive.
/// </summary>
public sealed record SelfPreservationStatus(bool Active, DateTimeOffset? Since, string Reason, DateTimeOffset? ReleasedAt = null)
{
    public static SelfPreservationStatus Inactive { get; } = new(false, null, "inactive");
}
