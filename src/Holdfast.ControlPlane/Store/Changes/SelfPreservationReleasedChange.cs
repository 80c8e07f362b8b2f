namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>An operator released a zone's self-preservation at <paramref name="At"/> (every planner honours it).</summary>
public sealed record SelfPreservationReleasedChange(long Revision, string Zone, DateTimeOffset At) : StoreChange(Revision);
