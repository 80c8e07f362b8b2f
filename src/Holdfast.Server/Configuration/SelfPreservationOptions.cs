namespace Holdfast.Server.Configuration;

/// <summary><c>guardrails.selfPreservation</c>: when the planner suspects its monitors (defaults as in <c>SelfPreservationSettings</c>).</summary>
public sealed record SelfPreservationOptions
{
    /// <summary>Enter when at least this fraction of a zone's enabled targets turned down within the window. Default 0.5.</summary>
    public double EnterFraction { get; init; } = 0.5;

    /// <summary>Leave when at most this fraction is down. Default 0.2; at most <see cref="EnterFraction"/>.</summary>
    public double ExitFraction { get; init; } = 0.2;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Zones with fewer enabled targets never enter. Default 4.</summary>
    public int MinTargets { get; init; } = 4;
}
