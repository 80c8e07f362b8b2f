using System.Collections.Immutable;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Operations;

/// <summary>
/// Rollback as a pure function: a new plan (higher generation, written by the caller) carrying an old plan's
/// records. It passes the same guardrails as any plan — non-empty always (fixed first, never waived); then each
/// guardrail of the registry that checks at rollback (<see cref="GuardrailAsker.Rollback"/>: with the default registry,
/// the capacity floor and the velocity limit), unless the operator overrides them with a reason.
/// </summary>
/// <remarks>
/// <code>
/// applied  plans (applied once?)       request      source   decision
/// g9       g9 y, g7 y, g5 y             last-good    g7       allowed if floor and velocity pass
/// g9       g9 y, g8 n (rejected), g7 y  last-good    g7       (rejected and never-applied plans are skipped)
/// g9       g9 y                         last-good    -        refused: no earlier good plan
/// g9       g9 y, g3 (cleaned up)        to g3        -        refused: g3 does not exist
/// </code>
/// </remarks>
public static class Rollback
{
    /// <param name="guardrails">The registry the planner plans with.</param>
    public static RollbackPreview Prepare(RollbackRequest request, EndpointSpec? spec, IReadOnlyList<PlanEntry> plans, AppliedState? applied, DateTimeOffset now, GuardrailRegistry guardrails)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(guardrails);
        var appliedGeneration = applied?.Generation ?? Generation.None;
        if (applied is null)
        {
            return Refuse(Generation.None, appliedGeneration, $"{request.Endpoint} has nothing applied to roll back from");
        }

        var source = request.To is { } to
            ? plans.FirstOrDefault(p => p.Plan.Generation == to)
            : plans.Where(p => p.Plan.Generation < appliedGeneration && p.WasApplied && !p.IsRejected).MaxBy(p => p.Plan.Generation);
        if (source is null)
        {
            return Refuse(request.To ?? Generation.None, appliedGeneration, request.To is { } g
                ? $"plan {g} of {request.Endpoint} does not exist (never written, or cleaned up)"
                : $"{request.Endpoint} has no earlier plan that was once applied");
        }

        if (source.IsRejected || source.Plan.Records.IsDefaultOrEmpty)
        {
            return Refuse(source.Plan.Generation, appliedGeneration, $"plan {source.Plan.Generation} is not a valid rollback source ({source.RejectedReason ?? "no records"})");
        }

        if (source.Plan.Generation == appliedGeneration)
        {
            return Refuse(source.Plan.Generation, appliedGeneration, $"plan {source.Plan.Generation} is already live");
        }

        // Non-empty is the fixed first step, never waived: an empty source was refused above.
        var decisions = ImmutableArray.CreateBuilder<GuardrailDecision>();
        decisions.Add(new GuardrailDecision(GuardrailNames.NonEmpty, GuardrailVerdict.Passed, $"{source.Plan.Records.Length} records"));
        var blocked = false;
        if (spec is not null)
        {
            var input = new GuardrailCheckInput(GuardrailAsker.Rollback, spec, source.Plan, applied, plans, now);
            foreach (var guardrail in guardrails.Guardrails)
            {
                var check = guardrail.Check(input);
                if (check.Outcome != GuardrailCheckOutcome.NotChecked)
                {
                    blocked |= Decide(decisions, request, guardrail.Name, check.Outcome == GuardrailCheckOutcome.Violated ? check.Detail : null);
                }
            }
        }

        var records = source.Plan.Records;
        var reason = $"rollback to {source.Plan.Generation} by {request.Actor}: {request.Reason}";
        var draft = new PlanDraft(request.Endpoint, records, source.Plan.InputsHash, reason, decisions.ToImmutable());
        return blocked
            ? new RollbackPreview(false, source.Plan.Generation, appliedGeneration, decisions.ToImmutable(), "refused by guardrails; repeat with an override reason to bypass them", null)
            : new RollbackPreview(true, source.Plan.Generation, appliedGeneration, decisions.ToImmutable(), reason, draft);
    }

    /// <summary>Records one guardrail's decision; true when it blocks the rollback (a violation without an override).</summary>
    private static bool Decide(ImmutableArray<GuardrailDecision>.Builder decisions, RollbackRequest request, string guardrail, string? violation)
    {
        if (violation is null)
        {
            decisions.Add(new GuardrailDecision(guardrail, GuardrailVerdict.Passed, "within limits"));
            return false;
        }

        if (request.Override is { } reason)
        {
            decisions.Add(new GuardrailDecision(guardrail, GuardrailVerdict.Overridden, $"{violation}; overridden by {request.Actor}: {reason}", Alarm: true));
            return false;
        }

        decisions.Add(new GuardrailDecision(guardrail, GuardrailVerdict.Refused, violation, Alarm: true));
        return true;
    }

    private static RollbackPreview Refuse(Generation source, Generation applied, string message) =>
        new(false, source, applied, [], message, null);
}
