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
/// <item>non-empty / fail-open picks the starting set from health (or refuses): always first, not registered;</item>
/// <item>then each guardrail of the <see cref="GuardrailRegistry"/>, in its order; the default's are
/// self-preservation (keeps every currently published enabled target in while active), the capacity floor
/// (keeps down targets in until the floor is met) and the velocity limit (holds health-driven removals beyond
/// the window's budget).</item>
/// </list>
/// A registered guardrail may veto (no plan: the current records keep serving), never empty the plan.
/// A plan is written only when its record set differs from the latest valid plan's, so planning again
/// with the same inputs changes nothing.
/// </remarks>
public static class Planner
{
    /// <summary>Plans with <see cref="GuardrailRegistry.Default"/>.</summary>
    public static PlanningResult Plan(PlannerInput input) => Plan(input, GuardrailRegistry.Default);

    /// <exception cref="InvalidOperationException">A registered guardrail emptied the plan (a bug in that guardrail).</exception>
    public static PlanningResult Plan(PlannerInput input, GuardrailRegistry guardrails)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(guardrails);
        var endpoint = input.Endpoint;
        var current = input.Latest?.Records ?? [];
        var decisions = ImmutableArray.CreateBuilder<GuardrailDecision>();

        var start = NonEmptyGuardrail.Choose(endpoint, input.Health, hasCurrent: input.Latest is not null, out var nonEmpty);
        decisions.Add(nonEmpty);
        if (start is null)
        {
            return new PlanningResult(null, decisions.ToImmutable());
        }

        var proposed = start;
        foreach (var guardrail in guardrails.Guardrails)
        {
            var step = guardrail.Decide(input, proposed);
            if (step.Decision is { } decision)
            {
                decisions.Add(decision);
            }

            if (step.Targets is null)
            {
                return step.Decision is null
                    ? throw new InvalidOperationException($"guardrail {guardrail.Name} vetoed the plan of {endpoint.Name} without a decision saying why")
                    : new PlanningResult(null, decisions.ToImmutable());
            }

            // Non-empty holds after every step: an empty plan is never written (I1).
            proposed = step.Targets.Count > 0
                ? step.Targets
                : throw new InvalidOperationException($"guardrail {guardrail.Name} emptied the plan of {endpoint.Name}; a guardrail may veto a plan, never empty it");
        }

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
