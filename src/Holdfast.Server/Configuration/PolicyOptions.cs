namespace Holdfast.Server.Configuration;

/// <summary>An endpoint's guardrail policy (see <c>Holdfast.ControlPlane.Model.EndpointPolicy</c> for the semantics).</summary>
public sealed record PolicyOptions
{
    /// <summary>Fraction 0..1 of enabled capacity every plan keeps. Default 0.5.</summary>
    public double CapacityFloor { get; init; } = 0.5;

    /// <summary>Fraction (0..1] of enabled capacity that may be removed per window. Default 0.34.</summary>
    public double VelocityLimit { get; init; } = 0.34;

    /// <summary>Sliding window of the velocity limit. Default 5 minutes.</summary>
    public TimeSpan VelocityWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Publish every enabled target when all look down (and alarm). Default true.</summary>
    public bool FailOpen { get; init; } = true;
}
