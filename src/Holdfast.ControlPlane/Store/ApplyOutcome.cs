using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// Result of <see cref="IControlStore.ConditionalApplyAsync"/>: the status, the endpoint's applied
/// generation after the call (the plan's on success, the one that won on <see cref="ApplyStatus.Stale"/>),
/// the change-feed revision of a successful apply, and a reason for refusals.
/// </summary>
public readonly record struct ApplyOutcome(ApplyStatus Status, Generation Current, long Revision = 0, string? Reason = null)
{
    public static ApplyOutcome Applied(Generation generation, long revision) => new(ApplyStatus.Applied, generation, revision);

    public static ApplyOutcome Stale(Generation current) => new(ApplyStatus.Stale, current, Reason: $"applied generation is already {current}");

    public static ApplyOutcome Frozen(Generation current, string reason) => new(ApplyStatus.Frozen, current, Reason: reason);

    public static ApplyOutcome Rejected(Generation current, string reason) => new(ApplyStatus.Rejected, current, Reason: reason);
}
