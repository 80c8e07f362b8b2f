using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// Defense in depth: before applying, an enactor re-checks a plan against the endpoint as it is now. A plan
/// the planner wrote always passes; a plan from a buggy or rogue writer, or one overtaken by a config
/// change, is refused (the enactor marks it rejected, raises an alarm and tries an older unapplied plan).
/// </summary>
/// <remarks>
/// <code>
/// check                                              unless
/// the plan has records                               never waived
/// every record has a non-zero, in-range capacity     never waived
/// plan capacity ≥ the endpoint's capacity floor      the plan carries an operator override
/// </code>
/// </remarks>
public static class EnactorRecheck
{
    public static GuardrailDecision Check(Plan plan, EndpointSpec? endpoint)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Records.IsDefaultOrEmpty)
        {
            return Refuse($"{plan.Generation} has no records");
        }

        if (plan.Records.Any(r => r.Capacity < 0 || r.Weight < 0))
        {
            return Refuse($"{plan.Generation} has a record with negative weight or capacity");
        }

        if (endpoint is null || plan.Override is not null)
        {
            return new GuardrailDecision(GuardrailNames.EnactorRecheck, plan.Override is null ? GuardrailVerdict.Passed : GuardrailVerdict.Overridden, plan.Override is null ? "non-empty" : $"non-empty; floor waived by override: {plan.Override}");
        }

        var enabled = new HashSet<string>(endpoint.EnabledTargets.Select(t => t.Id), StringComparer.Ordinal);
        var capacity = plan.Records.Where(r => enabled.Contains(r.TargetId)).Sum(r => (long)r.Capacity);
        var floor = CapacityFloorGuardrail.FloorOf(endpoint);
        return capacity >= floor
            ? new GuardrailDecision(GuardrailNames.EnactorRecheck, GuardrailVerdict.Passed, $"capacity {capacity} ≥ floor {floor}")
            : Refuse($"{plan.Generation} publishes capacity {capacity} of enabled targets, below the floor {floor}");
    }

    private static GuardrailDecision Refuse(string reason) =>
        new(GuardrailNames.EnactorRecheck, GuardrailVerdict.Refused, reason, Alarm: true);
}
