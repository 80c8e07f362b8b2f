namespace Holdfast.Push;

/// <summary>
/// A push target as its worker sees it now (for <c>/api/v1/status</c>): <paramref name="State"/> is <c>starting</c> before
/// the first pass, <c>ok</c> after a pass without failure, <c>failing</c> while the server times out, refuses or fails TSIG.
/// Counters count since start.
/// </summary>
public sealed record PushTargetStatus(
    string Name,
    string Zone,
    string Server,
    string State,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? NextRetryAt,
    long Pushed,
    long DriftRepaired,
    long Conflicts,
    long Held,
    long Failures,
    int Waiting);
