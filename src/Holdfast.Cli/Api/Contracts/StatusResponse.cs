using System.Text.Json;

namespace Holdfast.Cli.Api.Contracts;

/// <summary><c>GET /api/v1/status</c>.</summary>
internal sealed record StatusResponse(
    bool Ready,
    string? DataDirectory,
    IReadOnlyList<string>? Dns,
    string? Api,
    int Zones,
    int Endpoints,
    bool FrozenGlobal,
    IReadOnlyList<string>? FrozenEndpoints,
    IReadOnlyList<EnactorStatus>? Enactors,
    IReadOnlyList<JsonElement>? Alarms);
