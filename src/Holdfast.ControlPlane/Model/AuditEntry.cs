namespace Holdfast.ControlPlane.Model;

/// <summary>
/// One line of the audit trail. <paramref name="Sequence"/> is assigned by the store (0 when appending).
/// <paramref name="Action"/> is a stable, dotted name (<c>plan.written</c>, <c>apply.stale</c>,
/// <c>guardrail.override</c>, <c>freeze.set</c>); <paramref name="Endpoint"/> is null for global actions.
/// </summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? Endpoint,
    string Detail);
