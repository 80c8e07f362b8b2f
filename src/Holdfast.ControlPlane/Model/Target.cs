using System.Net;

namespace Holdfast.ControlPlane.Model;

/// <summary>
/// An address behind an endpoint. <paramref name="Id"/> is unique within the endpoint and stable across
/// config changes; <paramref name="Capacity"/> is in arbitrary units (requests/s, say) used by the capacity
/// floor and velocity limit; <paramref name="Weight"/> shapes which records are answered;
/// <paramref name="HealthCheck"/> says how probers check it (null: only external sources report on it).
/// </summary>
public sealed record Target(
    string Id,
    IPAddress Address,
    string AvailabilityZone,
    int Weight = 1,
    int Capacity = 1,
    TargetAdminState AdminState = TargetAdminState.Enabled,
    HealthCheck? HealthCheck = null);
