namespace Holdfast.ControlPlane.Model;

/// <summary>A target's aggregated health and the time it entered that state.</summary>
public sealed record TargetHealth(HealthState State, DateTimeOffset Since);
