namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// When the planner suspects its monitors instead of its targets (docs/design/incident.md, "monitoring that lies").
/// <c>holdfast.yaml</c>'s <c>guardrails.selfPreservation</c> binds to it directly; the binder checks each range with its key and line.
/// </summary>
public sealed record SelfPreservationSettings
{
    /// <summary>Enter when at least this fraction of a zone's enabled targets turned down within <see cref="Window"/>, above 0 and at most 1. Default 0.5.</summary>
    public double EnterFraction { get; init; } = 0.5;

    /// <summary>Leave when at most this fraction of the zone's enabled targets is down (hysteresis), 0 to <see cref="EnterFraction"/>. Default 0.2.</summary>
    public double ExitFraction { get; init; } = 0.2;

    /// <summary>How recent a down transition must be to count as part of a mass failure. Default 2 minutes.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Zones with fewer enabled targets never enter (a 2-target zone losing one is not a mass failure), at least 1. Default 4.</summary>
    public int MinTargets { get; init; } = 4;
}
