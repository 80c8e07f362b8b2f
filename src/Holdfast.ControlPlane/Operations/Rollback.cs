using System.Collections.Immutable;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Operations;

/// <summary>
/// Rollback as a pure function: a new plan (higher generation, written by the caller) carrying an old plan's
/// records. It passes the same guardrails as any plan — non-empty always; the capacity floor and velocity
/// limit unless the operator overrides them with a reason.
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
    public static RollbackPreview Prepare(RollbackRequest request, EndpointSpec? spec, IReadOnlyList<PlanEntry> plans, AppliedState? applied, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plans);
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

        var decisions = ImmutableArray.CreateBuilder<GuardrailDecision>();
        decisions.Add(new GuardrailDecision(GuardrailNames.NonEmpty, GuardrailVerdict.Passed, $"{source.Plan.Records.Length} records"));
        var blocked = false;
        if (spec is not null)
        {
            blocked |= Check(decisions, request, GuardrailNames.CapacityFloor, FloorViolation(spec, source.Plan));
            var recent = plans.Where(p => !p.IsRejected).Select(p => p.Plan).ToList();
            blocked |= Check(decisions, request, GuardrailNames.VelocityLimit, VelocityViolation(spec, applied, source.Plan, recent, now));
        }

        var records = source.Plan.Records;
        var reason = $"rollback to {source.Plan.Generation} by {request.Actor}: {request.Reason}";
        var draft = new PlanDraft(request.Endpoint, records, source.Plan.InputsHash, reason, decisions.ToImmutable());
        return blocked
            ? new RollbackPreview(false, source.Plan.Generation, appliedGeneration, decisions.ToImmutable(), "refused by guardrails; repeat with an override reason to bypass them", null)
            : new RollbackPreview(true, source.Plan.Generation, appliedGeneration, decisions.ToImmutable(), reason, draft);
    }

    private static bool Check(ImmutableArray<GuardrailDecision>.Builder decisions, RollbackRequest request, string guardrail, string? violation)
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

    private static string? FloorViolation(EndpointSpec spec, Plan source)
    {
        var enabled = spec.EnabledTargets.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var capacity = source.Records.Where(r => enabled.Contains(r.TargetId)).Sum(r => (long)r.Capacity);
        var floor = CapacityFloorGuardrail.FloorOf(spec);
        return capacity >= floor ? null : $"capacity of enabled targets {capacity} is below the floor {floor}";
    }

    private static string? VelocityViolation(EndpointSpec spec, AppliedState applied, Plan source, IReadOnlyList<Plan> recent, DateTimeOffset now)
    {
        var enabled = spec.EnabledTargets.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var removing = PlanRecordSets.RemovedCapacity(applied.Records.Where(r => enabled.Contains(r.TargetId)), source.Records);
        if (removing == 0)
        {
            return null;
        }

        var budget = (long)Math.Floor(spec.Policy.VelocityLimit * spec.EnabledCapacity);
        var already = VelocityLimitGuardrail.RemovedInWindow(spec, recent, now);
        return already + removing <= budget ? null : $"removes capacity {removing} with {already} already removed in the window; budget {budget}";
    }

    private static RollbackPreview Refuse(Generation source, Generation applied, string message) =>
        new(false, source, applied, [], message, null);
}
