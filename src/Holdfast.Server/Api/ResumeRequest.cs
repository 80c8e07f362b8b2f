namespace Holdfast.Server.Api;

/// <summary>Body of resume (ends a rollback's pin) and of releasing a zone's self-preservation.</summary>
public sealed record ResumeRequest(string? Reason, string? Actor) : IReasonedRequest;
