using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Holdfast.ControlPlane.Guardrails;

namespace Holdfast.ControlPlane.Model;

/// <summary>
/// An immutable plan for one endpoint: the records to publish under a generation, the hash of the inputs
/// it was computed from, why it was written, and the guardrail decisions that shaped it.
/// <paramref name="Override"/> is set only when an operator bypassed a guardrail (audited).
/// </summary>
public sealed record Plan(
    string Endpoint,
    Generation Generation,
    ImmutableArray<PlanRecord> Records,
    string InputsHash,
    string Reason,
    ImmutableArray<GuardrailDecision> Decisions,
    DateTimeOffset CreatedAt,
    PlanOrigin Origin = PlanOrigin.Planner,
    string? Override = null)
{
    /// <summary>Total capacity of the plan's records.</summary>
    [JsonIgnore]
    public long Capacity => Records.Sum(r => (long)r.Capacity);

    /// <summary>True when both plans publish the same addresses with the same weights, in any order.</summary>
    public bool HasSameRecordsAs(IReadOnlyCollection<PlanRecord> other) => PlanRecordSets.SameRecords(Records, other);
}
