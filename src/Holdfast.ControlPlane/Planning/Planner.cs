using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>
/// The planner: a pure function from desired state, health, the latest plan, recent history and
/// self-preservation to "no change" or a new plan. No I/O, no clock, no logging.
/// </summary>
/// <remarks>
/// The order of the guardrails matters and is fixed:
/// <list type="number">
/// <item>non-empty / fail-open picks the starting set from health (or refuses);</item>
/// <item>self-preservation keeps every currently published enabled target in while active;</item>
/// <item>the capacity floor keeps down targets in until the floor is met;</item>
/// <item>the velocity limit holds health-driven removals beyond the window's budget.</item>
/// </list>
/// A plan is written only when its record set differs from the latest valid plan's, so planning again
/// with the same inputs changes nothing.
/// </remarks>
public static class Planner
{
    public static PlanningResult Plan(PlannerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var endpoint = input.Endpoint;
        var current = input.Latest?.Records ?? [];
        var decisions = ImmutableArray.CreateBuilder<GuardrailDecision>();

        var start = NonEmptyGuardrail.Choose(endpoint, input.Health, hasCurrent: input.Latest is not null, out var nonEmpty);
        decisions.Add(nonEmpty);
        if (start is null)
        {
            return new PlanningResult(null, decisions.ToImmutable());
        }

        var proposed = start.ToList();
        if (input.SelfPreservation.Active)
        {
            proposed = HoldRemovals(endpoint, proposed, current, input.SelfPreservation, out var held);
            decisions.Add(held);
        }

        proposed = CapacityFloorGuardrail.Apply(endpoint, proposed, current, out var floor);
        decisions.Add(floor);
        proposed = VelocityLimitGuardrail.Apply(endpoint, proposed, current, input.Health, input.RecentPlans, input.Now, out var velocity);
        decisions.Add(velocity);

        var records = proposed
            .OrderBy(t => t.Id, StringComparer.Ordinal)
            .Select(t => new PlanRecord(t.Id, t.Address, t.Weight, t.Capacity))
            .ToImmutableArray();
        if (input.Latest is not null && input.Latest.HasSameRecordsAs(records))
        {
            return new PlanningResult(null, decisions.ToImmutable());
        }

        var allDecisions = decisions.ToImmutable();
        var draft = new PlanDraft(endpoint.Name, records, HashInputs(input), Describe(current, records), allDecisions);
        return new PlanningResult(draft, allDecisions);
    }

    private static List<Target> HoldRemovals(EndpointSpec endpoint, List<Target> proposed, IReadOnlyCollection<PlanRecord> current, SelfPreservationStatus status, out GuardrailDecision decision)
    {
        var kept = HealthRemovals.Of(endpoint, proposed, current).ToList();
        decision = kept.Count == 0
            ? new GuardrailDecision(GuardrailNames.SelfPreservation, GuardrailVerdict.Passed, "active, but nothing to remove: " + status.Reason, Alarm: true)
            : new GuardrailDecision(GuardrailNames.SelfPreservation, GuardrailVerdict.Held, $"holding removal of {string.Join(", ", kept.Select(t => t.Id))}: {status.Reason}", Alarm: true);
        return [.. proposed, .. kept];
    }

    private static string Describe(IReadOnlyCollection<PlanRecord> before, IReadOnlyCollection<PlanRecord> after)
    {
        var beforeIds = before.Select(r => r.TargetId).ToHashSet(StringComparer.Ordinal);
        var afterIds = after.Select(r => r.TargetId).ToHashSet(StringComparer.Ordinal);
        var added = after.Where(r => !beforeIds.Contains(r.TargetId)).Select(r => "+" + r.TargetId);
        var removed = before.Where(r => !afterIds.Contains(r.TargetId)).Select(r => "-" + r.TargetId);
        var reweighted = after.Where(r => before.Any(b => b.TargetId == r.TargetId && (b.Weight != r.Weight || !b.Address.Equals(r.Address)))).Select(r => "~" + r.TargetId);
        var parts = added.Concat(removed).Concat(reweighted).ToList();
        return before.Count == 0 ? $"first plan: {after.Count} records" : string.Join(' ', parts);
    }

    /// <summary>A hash of the inputs that shape the record set (spec, health states, selfpreservation), not of time.</summary>
    internal static string HashInputs(PlannerInput input) => HashInputs(input.Endpoint, input.Health, input.SelfPreservation.Active);

    /// <inheritdoc cref="HashInputs(PlannerInput)"/>
    internal static string HashInputs(EndpointSpec e, HealthView health, bool selfPreservationActive)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{e.Name}|{e.Zone}|{e.Policy.CapacityFloor}|{e.Policy.VelocityLimit}|{e.Policy.Window.Ticks}|{e.Policy.FailOpen}|{selfPreservationActive}\n");
        foreach (var t in e.Targets.OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            var state = health.Find(e.Name, t.Id)?.State ?? HealthState.Unknown;
            text.Append(CultureInfo.InvariantCulture, $"{t.Id}|{t.Address}|{t.AvailabilityZone}|{t.Weight}|{t.Capacity}|{t.AdminState}|{state}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
