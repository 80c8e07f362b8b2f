using Holdfast.ControlPlane.Model;

namespace Holdfast.Simulation.World;

/// <summary>The shape of a simulated deployment.</summary>
public sealed record WorldOptions
{
    /// <summary>Zones, each with this many endpoints (so several zones, endpoints and enactors run together).</summary>
    public IReadOnlyList<int> EndpointsPerZone { get; init; } = [2, 1];

    /// <summary>Targets behind each endpoint (at least 4 lets self-preservation engage).</summary>
    public int TargetsPerEndpoint { get; init; } = 5;

    /// <summary>Enactors, one per availability zone.</summary>
    public int Enactors { get; init; } = 3;

    /// <summary>Interval of the legacy enactors' passes (each jittered ±20%; the 2025 enactors polled).</summary>
    public TimeSpan PassInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Interval of the planner's and enactors' full passes, the safety net behind their event-driven work (each jittered
    /// ±20%): it bounds how long a lost wake-up can delay convergence. Default 20 s.
    /// </summary>
    public TimeSpan FullPassInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>K: good plans kept below the applied one.</summary>
    public int KeepPlans { get; init; } = 5;

    /// <summary>Whether the last endpoint keeps its records instead of failing open when all its targets look down.</summary>
    public bool LastEndpointFailsClosed { get; init; } = true;

    /// <summary>Policy of every endpoint (fail-open aside).</summary>
    public EndpointPolicy Policy { get; init; } = EndpointPolicy.Default;
}
