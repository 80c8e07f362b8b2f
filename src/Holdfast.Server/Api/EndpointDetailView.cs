namespace Holdfast.Server.Api;

/// <summary><c>GET /api/v1/endpoints/{name}</c>: the endpoint, its targets with health per source, the live and latest plans, recent events.</summary>
public sealed record EndpointDetailView(
    EndpointView Endpoint,
    bool Pinned,
    IReadOnlyList<TargetView> Targets,
    PlanView? LivePlan,
    PlanView? LatestPlan,
    IReadOnlyList<EventView> Events);
