using Holdfast.ControlPlane.Guardrails;

namespace Holdfast.Server.Configuration;

/// <summary>The <c>guardrails</c> section: settings shared by every endpoint (per-endpoint ones are each endpoint's <see cref="Holdfast.ControlPlane.Model.EndpointPolicy"/>).</summary>
public sealed record GuardrailOptions
{
    /// <summary><c>guardrails.selfPreservation</c>: when the planner suspects its monitors.</summary>
    public SelfPreservationSettings SelfPreservation { get; init; } = new();

    /// <summary>Cleanup keeps this many once-applied plans below the live one (K, invariant I3). Default 5.</summary>
    public int KeepPlans { get; init; } = 5;
}
