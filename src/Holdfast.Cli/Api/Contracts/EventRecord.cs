namespace Holdfast.Cli.Api.Contracts;

/// <summary>One audit, guardrail or alarm event of <c>GET /api/v1/events</c> and the event stream.</summary>
internal sealed record EventRecord(long Seq, DateTimeOffset At, string Kind, string? Endpoint, string? Actor, string? Message);
