namespace Holdfast.Cli.Api.Contracts;

/// <summary>One guardrail decision: its name, verdict (passed, adjusted, held, refused, overridden) and why.</summary>
internal sealed record Decision(string Guardrail, string Verdict, string? Reason);
