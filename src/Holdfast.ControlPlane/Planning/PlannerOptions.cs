using System.ComponentModel.DataAnnotations;
using Holdfast.ControlPlane.Guardrails;

namespace Holdfast.ControlPlane.Planning;

/// <summary>How the planner loop paces itself and when it suspects its monitors.</summary>
public sealed record PlannerOptions
{
    /// <summary>Time between planning passes. Default 1 second.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each wait is <see cref="Interval"/> ± this fraction, at random. Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; init; } = 0.2;

    public SelfPreservationSettings SelfPreservation { get; init; } = new();

    /// <summary>The name recorded as the actor of planner decisions. Default "planner".</summary>
    public string Actor { get; init; } = "planner";
}
