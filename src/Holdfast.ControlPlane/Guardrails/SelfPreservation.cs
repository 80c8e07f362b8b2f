using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// Self-preservation: when a large fraction of a zone's targets turn down within a short window, the
/// planner suspects its monitors and holds every health-driven removal in the zone. Additions, fail-open
/// and operator actions still go through. The planner loop evaluates each zone (<c>Evaluate</c>)
/// and hands the zone's status to the planner in <see cref="PlannerInput.SelfPreservation"/>; <see cref="Decide"/> holds
/// the endpoint's removals while it is active. Nothing is checked at apply time.
/// </summary>
/// <remarks>
/// Exit criteria, so that it can never get stuck: (1) health recovers — at most
/// <see cref="SelfPreservationSettings.ExitFraction"/> of the zone is down; or (2) an operator releases it,
/// after which only targets that turn down later count towards entering again.
/// Worked example, 10 targets, enter 0.5 in 2 min, exit 0.2:
/// <code>
/// t      down (recent)   state      why
/// 0:00   1 (1)           inactive   10% &lt; 50%
/// 0:30   6 (5)           active     6 of 10 turned down within 2 min
/// 5:00   6 (0)           active     still 60% down &gt; exit 20%
/// 6:00   2 (0)           inactive   20% ≤ exit 20%: health recovered
/// </code>
/// A planner with no previous state (first run after a restart) counts every down target as recent: it
/// cannot tell an old failure from a new one, so it errs on the side of holding.
/// </remarks>
public sealed class SelfPreservation : IGuardrail
{
    public string Name => GuardrailNames.SelfPreservation;

    public string Subject => "removal hold";

    /// <summary>While the zone is suspect, every published enabled target the proposal leaves out is kept in. Inactive, it takes no part.</summary>
    public PlanStep Decide(PlannerInput input, IReadOnlyList<Target> proposed)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(proposed);
        var status = input.SelfPreservation;
        if (!status.Active)
        {
            return PlanStep.Abstain(proposed);
        }

        var kept = HealthRemovals.Of(input.Endpoint, proposed, input.Latest?.Records ?? []).ToList();
        var decision = kept.Count == 0
            ? new GuardrailDecision(GuardrailNames.SelfPreservation, GuardrailVerdict.Passed, "active, but nothing to remove: " + status.Reason, Alarm: true)
            : new GuardrailDecision(GuardrailNames.SelfPreservation, GuardrailVerdict.Held, $"holding removal of {string.Join(", ", kept.Select(t => t.Id))}: {status.Reason}", Alarm: true);
        return new PlanStep([.. proposed, .. kept], decision);
    }

    /// <summary>
    /// Not checked at apply: it doubts the monitors, not the plan. An enactor applies what the planner held back for, and
    /// an operator's rollback is exactly the action self-preservation waits for.
    /// </summary>
    public GuardrailCheck Check(GuardrailCheckInput input) =>
        GuardrailCheck.NotChecked("self-preservation doubts the monitors at plan time; what it held back is already in the plan");

    /// <param name="zone">The zone apex, for the reason text.</param>
    /// <param name="endpoints">The zone's endpoints (their enabled targets are counted).</param>
    /// <param name="previous">The state after the last evaluation, or null on the planner's first run.</param>
    public static SelfPreservationStatus Evaluate(
        string zone,
        IEnumerable<EndpointSpec> endpoints,
        HealthView health,
        SelfPreservationStatus? previous,
        SelfPreservationSettings settings,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(health);
        var total = 0;
        var downSince = new List<DateTimeOffset>();
        foreach (var endpoint in endpoints)
        {
            foreach (var target in endpoint.EnabledTargets)
            {
                total++;
                if (health.Find(endpoint.Name, target.Id) is { State: HealthState.Down } h)
                {
                    downSince.Add(h.Since);
                }
            }
        }

        return Evaluate(zone, total, downSince, previous, settings, now);
    }

    /// <summary>
    /// The same decision from counts the planner keeps incrementally: <paramref name="enabledTargets"/> of the zone, and
    /// when each of its enabled targets that is down now turned down.
    /// </summary>
    public static SelfPreservationStatus Evaluate(
        string zone,
        int enabledTargets,
        IReadOnlyCollection<DateTimeOffset> downSince,
        SelfPreservationStatus? previous,
        SelfPreservationSettings settings,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(downSince);
        ArgumentNullException.ThrowIfNull(settings);
        var total = enabledTargets;
        var down = downSince.Count;
        var countFrom = now - settings.Window;
        if (previous?.ReleasedAt is { } released && released > countFrom)
        {
            countFrom = released;
        }

        var recentDown = previous is null ? down : downSince.Count(since => since > countFrom);
        if (total == 0)
        {
            return (previous ?? SelfPreservationStatus.Inactive) with { Active = false, Since = null, Reason = "no enabled targets" };
        }

        var downFraction = (double)down / total;
        if (previous is { Active: true })
        {
            return downFraction <= settings.ExitFraction
                ? previous with { Active = false, Since = null, Reason = $"zone {zone}: health recovered ({down} of {total} down)" }
                : previous with { Reason = $"zone {zone}: {down} of {total} targets down; holding removals until at most {settings.ExitFraction:P0} are down or an operator releases" };
        }

        if (total >= settings.MinTargets && (double)recentDown / total >= settings.EnterFraction)
        {
            return new SelfPreservationStatus(
                true,
                now,
                $"zone {zone}: {recentDown} of {total} targets turned down within {settings.Window.TotalSeconds:0}s; suspecting the monitors and holding removals",
                previous?.ReleasedAt);
        }

        return new SelfPreservationStatus(false, null, $"zone {zone}: {down} of {total} down", previous?.ReleasedAt);
    }

    /// <summary>An operator's release: inactive now, and earlier down transitions stop counting.</summary>
    public static SelfPreservationStatus Release(SelfPreservationStatus? current, string zone, DateTimeOffset now) =>
        new(false, null, $"zone {zone}: released by an operator", now);
}
