namespace Holdfast.Server.Api;

/// <summary>
/// One health source's view of a target: <paramref name="State"/> is its opinion after rise/fall
/// (<c>up</c>, <c>down</c>, <c>unexpected</c>, <c>unknown</c> — stale sources are unknown), <paramref name="LastResult"/>
/// the last raw observation.
/// </summary>
public sealed record SourceView(
    string Source,
    string State,
    bool Fresh,
    string? LastResult,
    DateTimeOffset? LastCheckedAt,
    int Consecutive,
    string? LastFailure,
    DateTimeOffset? LastFailureAt);
