using System.Collections.Immutable;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>A plan without a generation yet: the planner is pure and cannot allocate one.</summary>
public sealed record PlanDraft(
    string Endpoint,
    ImmutableArray<PlanRecord> Records,
    string InputsHash,
    string Reason,
    ImmutableArray<GuardrailDecision> Decisions)
{
    public Plan ToPlan(Generation generation, DateTimeOffset createdAt, PlanOrigin origin = PlanOrigin.Planner, string? overrideReason = null) =>
        new(Endpoint, generation, Records, InputsHash, Reason, Decisions, createdAt, origin, overrideReason);
}
