namespace Holdfast.Cli.Api.Contracts;

/// <summary>One plan of <c>GET /api/v1/endpoints/{name}/plans</c>.</summary>
internal sealed record PlanSummary(
    long Generation,
    DateTimeOffset CreatedAt,
    string? Origin,
    string? Reason,
    IReadOnlyList<string>? Records,
    IReadOnlyList<Decision>? Decisions,
    bool Applied);
