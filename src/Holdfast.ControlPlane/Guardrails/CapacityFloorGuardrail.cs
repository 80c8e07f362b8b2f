using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// A plan may not bring the capacity in the answer below <see cref="EndpointPolicy.CapacityFloor"/> of the
/// endpoint's enabled capacity. When health would, down targets are kept in: those already published first,
/// then the largest, then by id.
/// </summary>
/// <remarks>
/// Worked example, floor 0.5, targets a=40 b=30 c=20 d=10 (enabled 100, floor 50), a and b look down:
/// <code>
/// proposed   capacity   kept in              result capacity   decision
/// c, d       30         a (largest down)     70                capacity-floor: adjusted
/// </code>
/// </remarks>
public static class CapacityFloorGuardrail
{
    public static long FloorOf(EndpointSpec endpoint) =>
        (long)Math.Ceiling(endpoint.Policy.CapacityFloor * endpoint.EnabledCapacity);

    public static List<Target> Apply(EndpointSpec endpoint, List<Target> proposed, IReadOnlyCollection<PlanRecord> current, out GuardrailDecision decision)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(proposed);
        var floor = FloorOf(endpoint);
        var capacity = proposed.Sum(t => (long)t.Capacity);
        if (capacity >= floor)
        {
            decision = new GuardrailDecision(GuardrailNames.CapacityFloor, GuardrailVerdict.Passed, $"capacity {capacity} ≥ floor {floor}");
            return proposed;
        }

        var published = new HashSet<string>(current.Select(r => r.TargetId), StringComparer.Ordinal);
        var chosen = new HashSet<string>(proposed.Select(t => t.Id), StringComparer.Ordinal);
        var result = new List<Target>(proposed);
        var keptIn = new List<string>();
        foreach (var target in endpoint.EnabledTargets
                     .Where(t => !chosen.Contains(t.Id))
                     .OrderByDescending(t => published.Contains(t.Id))
                     .ThenByDescending(t => t.Capacity)
                     .ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            if (capacity >= floor)
            {
                break;
            }

            result.Add(target);
            keptIn.Add(target.Id);
            capacity += target.Capacity;
        }

        decision = new GuardrailDecision(GuardrailNames.CapacityFloor, GuardrailVerdict.Adjusted, $"healthy capacity is below the floor {floor}; kept {string.Join(", ", keptIn)} in the answer (capacity {capacity})", Alarm: true);
        return result;
    }
}
