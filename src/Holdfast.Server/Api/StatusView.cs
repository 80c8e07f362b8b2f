namespace Holdfast.Server.Api;

/// <summary><c>GET /api/v1/status</c>.</summary>
public sealed record StatusView(
    bool Ready,
    IReadOnlyList<string> NotReady,
    string DataDirectory,
    IReadOnlyList<string> Dns,
    string Api,
    int Zones,
    int Endpoints,
    bool FrozenGlobal,
    IReadOnlyList<string> FrozenEndpoints,
    IReadOnlyList<EnactorView> Enactors,
    IReadOnlyList<AlarmView> Alarms,
    string? Store = null,
    PlannerView? Planner = null,
    ClusterView? Cluster = null);
