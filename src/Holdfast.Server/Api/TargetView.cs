namespace Holdfast.Server.Api;

/// <summary>A target with its aggregated health (<c>up</c>, <c>down</c>, <c>unknown</c>) and each source's view.</summary>
public sealed record TargetView(
    string Endpoint,
    string Id,
    string Address,
    string Az,
    int Weight,
    int Capacity,
    string AdminState,
    string Health,
    DateTimeOffset? HealthSince,
    string? HealthReason,
    bool InAnswer,
    HealthCheckView? HealthCheck,
    IReadOnlyList<SourceView> Sources);
