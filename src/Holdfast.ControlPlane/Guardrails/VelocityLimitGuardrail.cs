using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// Bounds how much capacity health-driven plans remove within a sliding window
/// (<see cref="EndpointPolicy.VelocityLimit"/> of the enabled capacity per <see cref="EndpointPolicy.Window"/>).
/// Additions and operator removals (drained or deleted targets) are never limited. At apply time only rollback checks
/// it; the enactor does not (see <see cref="Check"/>).
/// </summary>
/// <remarks>
/// The removals already made in the window are read from the endpoint's recent plans: between each pair of
/// consecutive plans created inside the window, the capacity of targets that left the answer and are still
/// enabled (so health, not an operator, removed them). Removals are taken in the order the targets went
/// down, then by id. So that small endpoints can still fail over, one removal is always allowed in a window
/// with no removals yet (the capacity floor still applies).
/// Worked example, limit 0.34, window 5 min, 6 targets of capacity 10 (enabled 60, budget 20):
/// <code>
/// now    removed in window   wants to remove   removes   holds   decision
/// 0:00   0                   a, b, c           a, b      c       velocity-limit: held
/// 2:00   20                  c                 -         c       velocity-limit: held
/// 5:01   0 (a, b left)       c                 c         -       velocity-limit: passed
/// </code>
/// </remarks>
public sealed class VelocityLimitGuardrail : IGuardrail
{
    public string Name => GuardrailNames.VelocityLimit;

    public string Subject => "velocity budget";

    /// <summary>The capacity health may remove per window: ⌊<see cref="EndpointPolicy.VelocityLimit"/> × enabled capacity⌋.</summary>
    public static long BudgetOf(EndpointSpec endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return (long)Math.Floor(endpoint.Policy.VelocityLimit * endpoint.EnabledCapacity);
    }

    public static long RemovedInWindow(EndpointSpec endpoint, IReadOnlyList<Plan> recentPlans, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(recentPlans);
        var windowStart = now - endpoint.Policy.Window;
        var enabled = new HashSet<string>(endpoint.EnabledTargets.Select(t => t.Id), StringComparer.Ordinal);
        long removed = 0;
        for (var i = 1; i < recentPlans.Count; i++)
        {
            if (recentPlans[i].CreatedAt <= windowStart)
            {
                continue;
            }

            removed += PlanRecordSets.RemovedCapacity(recentPlans[i - 1].Records.Where(r => enabled.Contains(r.TargetId)), recentPlans[i].Records);
        }

        return removed;
    }

    public PlanStep Decide(PlannerInput input, IReadOnlyList<Target> proposed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var targets = Apply(input.Endpoint, proposed, input.Latest?.Records ?? [], input.Health, input.RecentPlans, input.Now, out var decision);
        return new PlanStep(targets, decision);
    }

    /// <summary>
    /// Rollback: the records may not remove more than the budget left in the window, with no allowance (an operator
    /// who needs more overrides). The enactor does not check velocity: the planner's one removal in an empty window
    /// may exceed the budget, and the enactor would reject the plans the planner wrote.
    /// </summary>
    public GuardrailCheck Check(GuardrailCheckInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Asker == GuardrailAsker.Enactor)
        {
            return GuardrailCheck.NotChecked("the planner's one removal in an empty window may exceed the budget; the enactor would reject what the planner wrote");
        }

        var removing = PlanRecordSets.RemovedCapacity(input.OnEnabledTargets(input.Applied?.Records ?? []), input.Plan.Records);
        if (removing == 0)
        {
            return GuardrailCheck.Within("removes no capacity");
        }

        var budget = BudgetOf(input.Endpoint);
        var already = RemovedInWindow(input.Endpoint, input.ValidPlans(), input.Now);
        return already + removing <= budget
            ? GuardrailCheck.Within($"removing {removing} of budget {budget} ({already} already removed in the window)")
            : GuardrailCheck.Violated($"removes capacity {removing} with {already} already removed in the window; budget {budget}");
    }

    /// <summary>The plan-time rule: <paramref name="proposed"/> with the health-driven removals beyond the budget kept in.</summary>
    public static IReadOnlyList<Target> Apply(
        EndpointSpec endpoint,
        IReadOnlyList<Target> proposed,
        IReadOnlyCollection<PlanRecord> current,
        HealthView health,
        IReadOnlyList<Plan> recentPlans,
        DateTimeOffset now,
        out GuardrailDecision decision)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(health);
        var healthRemovals = HealthRemovals.Of(endpoint, proposed, current)
            .OrderBy(t => health.Find(endpoint.Name, t.Id)?.Since ?? DateTimeOffset.MaxValue)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .ToList();
        if (healthRemovals.Count == 0)
        {
            decision = new GuardrailDecision(GuardrailNames.VelocityLimit, GuardrailVerdict.Passed, "no health-driven removals");
            return proposed;
        }

        var budget = BudgetOf(endpoint);
        var already = RemovedInWindow(endpoint, recentPlans, now);
        var allowed = budget - already;
        var result = new List<Target>(proposed);
        var removed = new List<string>();
        var held = new List<string>();
        long removing = 0;
        foreach (var target in healthRemovals)
        {
            var firstInEmptyWindow = already == 0 && removed.Count == 0;
            if (removing + target.Capacity <= allowed || firstInEmptyWindow)
            {
                removing += target.Capacity;
                removed.Add(target.Id);
            }
            else
            {
                held.Add(target.Id);
                result.Add(target);
            }
        }

        decision = held.Count == 0
            ? new GuardrailDecision(GuardrailNames.VelocityLimit, GuardrailVerdict.Passed, $"removing {removing} of budget {budget} ({already} already removed in the window)")
            : new GuardrailDecision(GuardrailNames.VelocityLimit, GuardrailVerdict.Held, $"removing {string.Join(", ", removed)} ({removing}); holding {string.Join(", ", held)}: budget {budget} per {endpoint.Policy.Window.TotalSeconds:0}s, {already} already removed");
        return result;
    }
}
