namespace Holdfast.Server.Api;

/// <summary>
/// The planner in <c>GET /api/v1/status</c>: endpoints marked and waiting to be planned, how long the oldest has waited
/// (its lag, seconds), whether a pass is running now, and when the last full pass (the safety net) finished.
/// </summary>
public sealed record PlannerView(int Waiting, double LagSeconds, bool Passing, DateTimeOffset? LastFullPassAt);
