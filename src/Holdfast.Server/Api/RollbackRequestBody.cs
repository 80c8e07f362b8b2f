namespace Holdfast.Server.Api;

/// <summary>
/// Body of a rollback: <paramref name="To"/> is a generation (<c>12</c> or <c>g12</c>) or <c>last-good</c>;
/// <paramref name="OverrideGuardrails"/> bypasses the capacity floor and velocity limit with the reason (audited).
/// </summary>
public sealed record RollbackRequestBody(string? To, string? Reason, bool DryRun, bool OverrideGuardrails, string? Actor) : IReasonedRequest;
