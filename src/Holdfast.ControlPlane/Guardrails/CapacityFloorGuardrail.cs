using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// A plan may not bring the capacity in the answer below <see cref="EndpointPolicy.CapacityFloor"/> of the
/// endpoint's enabled capacity. When health would, down targets are kept in: those already published first,
/// then the largest, then by id. At apply time the enactor and rollback check the same floor.
/// </summary>
/// <remarks>
/// Worked example, floor 0.5, targets a=40 b=30 c=20 d=10 (enabled 100, floor 50), a and b look down:
/// <code>
/// proposed   capacity   kept in              result capacity   decision
/// c, d       30         a (largest down)     70                capacity-floor: adjusted
/// </code>
/// Apply time counts only records of targets enabled now, so a plan overtaken by a drain can fall below the floor:
/// <code>
/// asker     within                    violation (the plan is rejected / the rollback refused)
/// enactor   capacity 20 ≥ floor 20    g5 publishes capacity 10 of enabled targets, below the floor 20
/// rollback  capacity 20 ≥ floor 20    capacity of enabled targets 10 is below the floor 20
/// </code>
/// </remarks>
public sealed class CapacityFloorGuardrail : IGuardrail
{
    public string Name => GuardrailNames.CapacityFloor;

    public string Subject => "floor";

    /// <summary>The floor: ⌈<see cref="EndpointPolicy.CapacityFloor"/> × enabled capacity⌉.</summary>
    public static long FloorOf(EndpointSpec endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return (long)Math.Ceiling(endpoint.Policy.CapacityFloor * endpoint.EnabledCapacity);
    }

    public PlanStep Decide(PlannerInput input, IReadOnlyList<Target> proposed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var targets = Apply(input.Endpoint, proposed, input.Latest?.Records ?? [], out var decision);
        return new PlanStep(targets, decision);
    }

    public GuardrailCheck Check(GuardrailCheckInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var capacity = input.OnEnabledTargets(input.Plan.Records).Sum(r => (long)r.Capacity);
        var floor = FloorOf(input.Endpoint);
        if (capacity >= floor)
        {
            return GuardrailCheck.Within($"capacity {capacity} ≥ floor {floor}");
        }

        return GuardrailCheck.Violated(input.Asker == GuardrailAsker.Enactor
            ? $"{input.Plan.Generation} publishes capacity {capacity} of enabled targets, below the floor {floor}"
            : $"capacity of enabled targets {capacity} is below the floor {floor}");
    }

    /// <summary>The plan-time rule: <paramref name="proposed"/> with down targets kept in until the floor is met.</summary>
    public static IReadOnlyList<Target> Apply(EndpointSpec endpoint, IReadOnlyList<Target> proposed, IReadOnlyCollection<PlanRecord> current, out GuardrailDecision decision)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(current);
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
