namespace Holdfast.Server.Api;

/// <summary><c>GET /api/v1/status</c>. <see cref="Push"/> is empty when no zone has push targets.</summary>
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
    ClusterView? Cluster = null,
    IReadOnlyList<Holdfast.Push.PushTargetStatus>? Push = null);
