namespace Holdfast.Cli.Api.Contracts;

/// <summary>One row of <c>GET /api/v1/targets</c>: a target with its aggregated health and each source's view.</summary>
internal sealed record TargetStatus(
    string? Endpoint,
    string Id,
    string Address,
    string? Az,
    int Weight,
    int Capacity,
    string? AdminState,
    string? Health,
    IReadOnlyList<SourceHealth>? Sources);
