using System.Net;
using Holdfast.ControlPlane.Model;

namespace Holdfast.Server.Configuration;

/// <summary>One target of an endpoint.</summary>
public sealed record TargetOptions
{
    /// <summary>Unique within the endpoint, stable across edits.</summary>
    public required string Id { get; init; }

    public required IPAddress Address { get; init; }

    /// <summary>Availability zone; an enactor must be configured for it.</summary>
    public required string Az { get; init; }

    /// <summary>Answer weight, 1..65535. Default 1.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>Capacity in the operator's units (requests/s, say), 1..int.MaxValue. Default 1.</summary>
    public int Capacity { get; init; } = 1;

    /// <summary><c>enabled</c> or <c>drained</c>. Default enabled.</summary>
    public TargetAdminState AdminState { get; init; } = TargetAdminState.Enabled;

    /// <summary>How probers check the target; null = only external sources report on it.</summary>
    public HealthCheck? HealthCheck { get; init; }
}
