using System.Text.Json;

namespace Holdfast.Cli.Api.Contracts;

/// <summary>One row of <c>GET /api/v1/endpoints</c>.</summary>
internal sealed record EndpointSummary(
    string Name,
    string? Zone,
    int Ttl,
    int MaxAnswers,
    JsonElement? Policy,
    long LiveGeneration,
    long LatestGeneration,
    bool Frozen,
    IReadOnlyList<string>? Answer,
    int Targets);
