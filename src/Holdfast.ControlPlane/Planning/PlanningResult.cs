using System.Collections.Immutable;
using Holdfast.ControlPlane.Guardrails;

namespace Holdfast.ControlPlane.Planning;

/// <summary>The planner's answer: a draft to write, or null for "no change"; and every guardrail decision either way.</summary>
public sealed record PlanningResult(PlanDraft? Draft, ImmutableArray<GuardrailDecision> Decisions)
{
    public bool HasChange => Draft is not null;
}
