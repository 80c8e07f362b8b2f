using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// Bounds how much capacity health-driven plans remove within a sliding window
/// (<see cref="EndpointPolicy.VelocityLimit"/> of the enabled capacity per <see cref="EndpointPolicy.Window"/>).
/// Additions and operator removals (drained or deleted targets) are never limited.
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
public static class VelocityLimitGuardrail
{
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

    public static List<Target> Apply(
        EndpointSpec endpoint,
        List<Target> proposed,
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

        var budget = (long)Math.Floor(endpoint.Policy.VelocityLimit * endpoint.EnabledCapacity);
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
