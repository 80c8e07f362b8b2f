using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// Defense in depth: before applying, an enactor re-checks a plan against the endpoint as it is now. A plan
/// the planner wrote always passes; a plan from a buggy or rogue writer, or one overtaken by a config
/// change, is refused (the enactor marks it rejected, raises an alarm and tries an older unapplied plan).
/// </summary>
/// <remarks>
/// <code>
/// check                                              unless
/// the plan has records                               never waived (fixed first, not registered)
/// every record has a non-zero, in-range capacity     never waived (fixed first, not registered)
/// each registered guardrail's check (asker enactor)  the plan carries an operator override
/// </code>
/// With <see cref="GuardrailRegistry.Default"/> the registered check is the capacity floor (velocity and
/// self-preservation are not checked at apply by the enactor). Every decision is named
/// <see cref="GuardrailNames.EnactorRecheck"/>; a refusal's reason is the violated guardrail's own message.
/// </remarks>
public static class EnactorRecheck
{
    /// <param name="plan">The candidate.</param>
    /// <param name="endpoint">The endpoint as the store holds it now: its spec (null when deleted), what is live, its plans.</param>
    /// <param name="now">The enactor's clock, as a value.</param>
    /// <param name="guardrails">The same registry the planner plans with.</param>
    public static GuardrailDecision Check(Plan plan, StoredEndpoint endpoint, DateTimeOffset now, GuardrailRegistry guardrails)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(guardrails);
        if (plan.Records.IsDefaultOrEmpty)
        {
            return Refuse($"{plan.Generation} has no records");
        }

        if (plan.Records.Any(r => r.Capacity < 0 || r.Weight < 0))
        {
            return Refuse($"{plan.Generation} has a record with negative weight or capacity");
        }

        var details = new List<string>();
        var waivable = new List<string>();
        if (endpoint.Spec is { } spec)
        {
            var input = new GuardrailCheckInput(GuardrailAsker.Enactor, spec, plan, endpoint.Applied, endpoint.Plans, now);
            foreach (var guardrail in guardrails.Guardrails)
            {
                var check = guardrail.Check(input);
                if (check.Outcome == GuardrailCheckOutcome.NotChecked)
                {
                    continue;
                }

                if (check.Outcome == GuardrailCheckOutcome.Violated && plan.Override is null)
                {
                    return Refuse(check.Detail);
                }

                details.Add(check.Detail);
                waivable.Add(guardrail.Subject);
            }
        }

        if (plan.Override is { } waiver)
        {
            // An operator's override (a rollback that bypassed guardrails, audited when written) waives every registered check.
            var reason = waivable.Count == 0 ? $"non-empty; nothing to waive (override: {waiver})" : $"non-empty; {string.Join(", ", waivable)} waived by override: {waiver}";
            return new GuardrailDecision(GuardrailNames.EnactorRecheck, GuardrailVerdict.Overridden, reason);
        }

        return new GuardrailDecision(GuardrailNames.EnactorRecheck, GuardrailVerdict.Passed, details.Count == 0 ? "non-empty" : string.Join("; ", details));
    }

    private static GuardrailDecision Refuse(string reason) =>
        new(GuardrailNames.EnactorRecheck, GuardrailVerdict.Refused, reason, Alarm: true);
}
