using System.Text.Json;

namespace Holdfast.Cli.Api.Contracts;

/// <summary><c>GET /api/v1/endpoints/{name}</c>: the endpoint, its targets with health per source, its live and latest plans and recent events.</summary>
internal sealed record EndpointDetail(
    string Name,
    string? Zone,
    int Ttl,
    int MaxAnswers,
    JsonElement? Policy,
    long LiveGeneration,
    long LatestGeneration,
    bool Frozen,
    IReadOnlyList<string>? Answer,
    IReadOnlyList<TargetStatus>? Targets,
    PlanSummary? Live,
    PlanSummary? Latest,
    IReadOnlyList<EventRecord>? Events);
