namespace Holdfast.Server.Api;

/// <summary>
/// One event of the audit log: <paramref name="Kind"/> is a stable dotted name (<c>plan.written</c>,
/// <c>apply.applied</c>, <c>freeze.set</c>, <c>guardrail.velocity-limit</c>, <c>alarm.fail-open</c>, <c>health.down</c>).
/// </summary>
public sealed record EventView(long Seq, DateTimeOffset At, string Kind, string? Endpoint, string Actor, string Message);
