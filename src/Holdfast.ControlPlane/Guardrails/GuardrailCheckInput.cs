using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// What an apply-time check looks at. <paramref name="Plan"/> holds the records that would go live: the enactor's
/// candidate, or the plan a rollback copies (its generation is the source's; the rollback's own is not allocated yet).
/// <paramref name="Endpoint"/> is the endpoint as it is now, <paramref name="Applied"/> what is live (null when nothing
/// is), <paramref name="Plans"/> the endpoint's plans as the store holds them, oldest first, rejected ones included.
/// </summary>
public sealed record GuardrailCheckInput(
    GuardrailAsker Asker,
    EndpointSpec Endpoint,
    Plan Plan,
    AppliedState? Applied,
    IReadOnlyList<PlanEntry> Plans,
    DateTimeOffset Now)
{
    /// <summary>The plans no enactor rejected, oldest first: the history the planner plans from.</summary>
    public IReadOnlyList<Plan> ValidPlans() => [.. Plans.Where(p => !p.IsRejected).Select(p => p.Plan)];

    /// <summary>The records of <paramref name="records"/> on targets enabled now: drained and deleted targets count for nothing.</summary>
    public IEnumerable<PlanRecord> OnEnabledTargets(IEnumerable<PlanRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var enabled = Endpoint.EnabledTargets.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        return records.Where(r => enabled.Contains(r.TargetId));
    }
}
