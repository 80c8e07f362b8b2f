namespace Holdfast.Cli.Api.Contracts;

/// <summary>
/// Answer of <c>POST /api/v1/endpoints/{name}/rollback</c>: whether it is (or was) allowed, the plan whose
/// records it takes, the diff against what is live, the guardrail decisions, and — when written — the new generation.
/// </summary>
internal sealed record RollbackResponse(
    bool Allowed,
    bool DryRun,
    long Source,
    long Applied,
    long? Generation,
    RecordDiff? Diff,
    IReadOnlyList<Decision>? Decisions,
    string? Message);
