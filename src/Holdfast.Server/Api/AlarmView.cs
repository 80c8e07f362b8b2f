namespace Holdfast.Server.Api;

/// <summary>An alarm that holds now: <paramref name="Subject"/> is an endpoint or, for self-preservation, a zone.</summary>
public sealed record AlarmView(string Subject, string Guardrail, string Verdict, string Reason);
