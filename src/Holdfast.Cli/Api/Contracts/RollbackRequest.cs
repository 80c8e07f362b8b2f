namespace Holdfast.Cli.Api.Contracts;

/// <summary>Body of <c>POST /api/v1/endpoints/{name}/rollback</c>: <paramref name="To"/> is a generation number or <c>last-good</c>.</summary>
internal sealed record RollbackRequest(string To, string Reason, bool DryRun, bool OverrideGuardrails);
