using Holdfast.Health.Observations;

namespace Holdfast.Health.Probing;

/// <summary>The result of one check: a state and, unless up, why ("timeout after 2000 ms", "connection refused", "HTTP 503").</summary>
public readonly record struct ProbeResult(ObservationState State, string? Reason)
{
    public static ProbeResult Up { get; } = new(ObservationState.Up, null);

    public static ProbeResult Down(string reason) => new(ObservationState.Down, reason);

    public static ProbeResult Unexpected(string reason) => new(ObservationState.Unexpected, reason);
}
