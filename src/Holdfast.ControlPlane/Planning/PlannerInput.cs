using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>
/// Everything the planner decides from, as values. <paramref name="Latest"/> is the endpoint's newest valid
/// (not rejected) plan — the planner diffs against what it last asked for, not against what an enactor
/// has applied so far. <paramref name="RecentPlans"/> are the endpoint's valid plans, oldest first
/// (the velocity limit reads its window from them). <paramref name="Now"/> is a value: the planner reads
/// no clock.
/// </summary>
public sealed record PlannerInput(
    EndpointSpec Endpoint,
    HealthView Health,
    Plan? Latest,
    IReadOnlyList<Plan> RecentPlans,
    SelfPreservationStatus SelfPreservation,
    DateTimeOffset Now);
