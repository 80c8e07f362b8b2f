namespace Holdfast.Health.Observations;

/// <summary>
/// Where observations go: Holdfast's own probers and external monitors (through the HTTP API) feed the
/// same sink, so both count the same way. Thread-safe; implementations must be quick and must not block.
/// </summary>
public interface IObservationSink
{
    /// <summary>
    /// Records what <paramref name="source"/> saw of target <paramref name="targetId"/> of
    /// <paramref name="endpoint"/> at <paramref name="at"/>. <paramref name="reason"/> says why a check
    /// failed ("timeout after 2000 ms", "connection refused", "HTTP 503"); it may be null for
    /// <see cref="ObservationState.Up"/>. A time later than now is taken as now, so that a monitor with
    /// a fast clock cannot keep itself fresh for longer than it reports.
    /// </summary>
    /// <returns>Whether the observation was taken; anything but <see cref="ObservationOutcome.Accepted"/> changes nothing.</returns>
    ObservationOutcome Record(string source, string endpoint, string targetId, ObservationState state, string? reason, DateTimeOffset at);
}
