using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// One guardrail's plan-time step: the <paramref name="Targets"/> to propose from here on, or null for a veto (no plan is
/// written and the current records keep serving); and the <paramref name="Decision"/> to record in the plan, or null
/// when the guardrail took no part (self-preservation while inactive).
/// </summary>
public sealed record PlanStep(IReadOnlyList<Target>? Targets, GuardrailDecision? Decision)
{
    /// <summary>The guardrail has nothing to say about this plan: the proposal goes on unchanged and nothing is recorded.</summary>
    public static PlanStep Abstain(IReadOnlyList<Target> proposed) => new(proposed, null);

    /// <summary>No plan may be written; <paramref name="decision"/> says why (verdict <see cref="GuardrailVerdict.Refused"/> or <see cref="GuardrailVerdict.Held"/>).</summary>
    public static PlanStep Veto(GuardrailDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new(null, decision);
    }
}
