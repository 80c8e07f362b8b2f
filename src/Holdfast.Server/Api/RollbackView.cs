namespace Holdfast.Server.Api;

/// <summary>
/// A rollback's preview or result: the source generation, the live one, the guardrail decisions, the change
/// against what is live, and (when not a dry run and allowed) the generation of the rollback plan written.
/// </summary>
public sealed record RollbackView(
    bool Allowed,
    bool DryRun,
    long Source,
    long Live,
    string Message,
    ChangeView Diff,
    IReadOnlyList<DecisionView> Decisions,
    long? Written);
