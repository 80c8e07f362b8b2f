using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// One plan to write (<see cref="IControlStore.WritePlansAsync"/>), the actor audited with <c>plan.written</c>, and
/// further audit entries (<paramref name="Notes"/>: a rollback's reason, a guardrail override, a resume) written in
/// the same transaction when — and only when — the plan is written.
/// </summary>
public sealed record PlanWrite(Plan Plan, string Actor = "planner", IReadOnlyList<AuditNote>? Notes = null);

/// <summary>An audit entry that goes with a mutation: its endpoint, actor and time are the mutation's.</summary>
public sealed record AuditNote(string Action, string Detail);
