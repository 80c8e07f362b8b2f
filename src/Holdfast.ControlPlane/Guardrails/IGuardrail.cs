using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// One guardrail, one rule in one place: the plan-time decision that shapes a plan, and the apply-time check that the
/// enactor's re-check and rollback run against the endpoint as it is then. Registered in a
/// <see cref="GuardrailRegistry"/>, which the planner, <see cref="EnactorRecheck"/> and rollback iterate in order.
/// </summary>
/// <remarks>
/// Both methods are pure (no I/O, no clock, no logging): everything they may read is in their input, <c>now</c> as a
/// value. Non-empty is not one of these: it is the fixed first step everywhere and cannot be left out of a registry.
/// How to add one: docs/design/guardrails.md.
/// </remarks>
public interface IGuardrail
{
    /// <summary>The stable name: in plans, audit, logs and the metric tag <c>guardrail</c>. Unique in a registry.</summary>
    string Name { get; }

    /// <summary>
    /// What the rule bounds, in a word, for reasons that name several guardrails at once: the enactor's re-check says
    /// "floor waived by override" for an overridden plan.
    /// </summary>
    string Subject { get; }

    /// <summary>
    /// Plan time: given the targets the earlier steps propose, returns the targets to propose now (the same list, or
    /// one with targets kept in) and the decision to record, or a veto (<see cref="PlanStep.Veto"/>: no plan, the
    /// current records keep serving). A guardrail may veto a plan but never empty it.
    /// </summary>
    PlanStep Decide(PlannerInput input, IReadOnlyList<Target> proposed);

    /// <summary>
    /// Apply time: whether the records of <see cref="GuardrailCheckInput.Plan"/> are within the rule for the endpoint as
    /// it is now. <see cref="GuardrailCheckInput.Asker"/> says who asks (the enactor or rollback); a guardrail without a
    /// check for that asker answers <see cref="GuardrailCheck.NotChecked"/>, saying why.
    /// </summary>
    GuardrailCheck Check(GuardrailCheckInput input);
}
