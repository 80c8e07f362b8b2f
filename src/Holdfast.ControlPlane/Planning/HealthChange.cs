using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>One target's aggregated state changed from <paramref name="Previous"/> to <paramref name="Current"/>.</summary>
public sealed record HealthChange(string Endpoint, string TargetId, HealthState Previous, TargetHealth Current);
