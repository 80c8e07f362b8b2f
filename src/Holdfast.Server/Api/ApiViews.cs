using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Health.Aggregation;
using Holdfast.Server.Configuration;

namespace Holdfast.Server.Api;

/// <summary>Control-plane values as API views.</summary>
internal static class ApiViews
{
    public static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    public static DecisionView Decision(GuardrailDecision d) => new(d.Guardrail, Lower(d.Verdict), d.Reason, d.Alarm);

    public static PlanView Plan(PlanEntry entry, AppliedState? applied) => new(
        entry.Plan.Generation.Value,
        entry.Plan.CreatedAt,
        Lower(entry.Plan.Origin),
        entry.Plan.Reason,
        [.. entry.Plan.Records.Select(r => r.Address.ToString())],
        [.. entry.Plan.Decisions.Select(Decision)],
        entry.WasApplied,
        applied?.Generation == entry.Plan.Generation,
        entry.RejectedReason,
        entry.Plan.Override);

    public static PolicyView Policy(EndpointPolicy p) => new(p.CapacityFloor, p.VelocityLimit, DurationText.Format(p.Window), p.FailOpen);

    public static EndpointView Endpoint(EndpointSpec spec, AppliedState? applied, IReadOnlyList<PlanEntry> plans, FreezeState freeze) => new(
        spec.Name,
        spec.Zone,
        spec.Policy.Ttl,
        spec.Policy.MaxAnswers,
        Policy(spec.Policy),
        applied?.Generation.Value ?? 0,
        plans.LastOrDefault(p => !p.IsRejected)?.Plan.Generation.Value ?? 0,
        freeze.For(spec.Name) is not null,
        applied is null ? [] : [.. applied.Records.Select(r => r.Address.ToString())],
        spec.Targets.Length);

    public static TargetView Target(EndpointSpec spec, Target target, AppliedState? applied, TargetStatus? status) => Target(spec, target, applied, status, target.HealthCheck);

    private static TargetView Target(EndpointSpec spec, Target target, AppliedState? applied, TargetStatus? status, HealthCheck? check) => new(
        spec.Name,
        target.Id,
        target.Address.ToString(),
        target.AvailabilityZone,
        target.Weight,
        target.Capacity,
        Lower(target.AdminState),
        Lower(status?.Health.State ?? HealthState.Unknown),
        status?.Health.Since,
        status?.Reason ?? (check is null ? "no health check: only what the planner is told" : null),
        applied?.Records.Any(r => r.TargetId == target.Id) ?? false,
        check is null ? null : new HealthCheckView(Lower(check.Kind), check.Url?.ToString(), check.Port, check.Sources, check.Quorum),
        status is null ? [] : [.. status.Sources.Select(Source)]);

    public static SourceView Source(SourceStatus s) => new(
        s.Source,
        Lower(s.Opinion),
        s.Fresh,
        s.LastState is { } state ? Lower(state) : null,
        s.LastCheckedAt,
        s.Consecutive,
        s.LastFailureReason,
        s.LastFailureAt);

    public static EventView Event(AuditEntry e) => new(e.Sequence, e.At, e.Action, e.Endpoint, e.Actor, e.Detail);

    public static ChangeView Change(IEnumerable<PlanRecord> before, IEnumerable<PlanRecord> after)
    {
        var from = before.Select(r => r.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        var to = after.Select(r => r.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        return new ChangeView([.. to.Except(from).Order(StringComparer.Ordinal)], [.. from.Except(to).Order(StringComparer.Ordinal)]);
    }
}
