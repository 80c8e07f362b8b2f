namespace Holdfast.Server.Api;

/// <summary>A guardrail decision: the guardrail's stable name, what it did (passed, adjusted, held, refused, overridden) and why.</summary>
public sealed record DecisionView(string Guardrail, string Verdict, string Reason, bool Alarm);
