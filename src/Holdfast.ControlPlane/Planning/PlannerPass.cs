using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>What one planning pass did: the plans it wrote, the endpoints it left pinned by a rollback, the self-preservation state per zone.</summary>
public sealed record PlannerPass(
    IReadOnlyList<Plan> Written,
    IReadOnlyList<string> Pinned,
    IReadOnlyDictionary<string, SelfPreservationStatus> SelfPreservation);
