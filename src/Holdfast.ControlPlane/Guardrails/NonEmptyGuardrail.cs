using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// Never an empty answer (invariant I1). Chooses the starting set of a plan from health.
/// </summary>
/// <remarks>
/// <code>
/// enabled  looks down   fail-open  result                        decision
/// 0        -            -          no plan (keep current)        non-empty: refused, alarm
/// 3        1            -          the 2 healthy                 non-empty: passed
/// 3        3            true       all 3 enabled                 fail-open: adjusted, alarm
/// 3        3            false      no plan (keep current)        non-empty: held, alarm
/// </code>
/// "Looks down" is <see cref="HealthState.Down"/> only: unknown health serves.
/// </remarks>
public static class NonEmptyGuardrail
{
    /// <returns>The targets to start from, or null when no plan may be written.</returns>
    public static IReadOnlyList<Target>? Choose(EndpointSpec endpoint, HealthView health, bool hasCurrent, out GuardrailDecision decision)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(health);
        var enabled = endpoint.EnabledTargets.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        if (enabled.Count == 0)
        {
            decision = new GuardrailDecision(GuardrailNames.NonEmpty, GuardrailVerdict.Refused, "endpoint has no enabled targets; an empty plan is never written and the current records keep serving", Alarm: true);
            return null;
        }

        var healthy = enabled.Where(t => !health.IsDown(endpoint.Name, t.Id)).ToList();
        if (healthy.Count > 0)
        {
            decision = new GuardrailDecision(GuardrailNames.NonEmpty, GuardrailVerdict.Passed, $"{healthy.Count} of {enabled.Count} enabled targets healthy");
            return healthy;
        }

        if (endpoint.Policy.FailOpen || !hasCurrent)
        {
            decision = new GuardrailDecision(GuardrailNames.FailOpen, GuardrailVerdict.Adjusted, $"all {enabled.Count} enabled targets look down; publishing all of them (fail-open)", Alarm: true);
            return enabled;
        }

        decision = new GuardrailDecision(GuardrailNames.NonEmpty, GuardrailVerdict.Held, $"all {enabled.Count} enabled targets look down and fail-open is off; keeping the current records", Alarm: true);
        return null;
    }
}
