using Holdfast.Health.Observations;

namespace Holdfast.Health.Aggregation;

/// <summary>What one source knows of one target, as the API shows it.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Opinion">Its vote now: <see cref="SourceOpinion.Unknown"/> when stale, whatever it last said.</param>
/// <param name="Fresh">Whether its last observation is within its freshness window.</param>
/// <param name="LastState">The last raw observation, or null if it has never reported.</param>
/// <param name="LastCheckedAt">When it last reported on this target.</param>
/// <param name="Consecutive">How many observations in a row equal <paramref name="LastState"/>.</param>
/// <param name="OpinionSince">When <paramref name="Opinion"/> (before staleness) last flipped.</param>
/// <param name="LastFailureReason">Why the last down or unexpected observation failed ("HTTP 503", "timeout after 2000 ms").</param>
/// <param name="LastFailureAt">When that was.</param>
public sealed record SourceStatus(
    string Source,
    SourceOpinion Opinion,
    bool Fresh,
    ObservationState? LastState,
    DateTimeOffset? LastCheckedAt,
    int Consecutive,
    DateTimeOffset? OpinionSince,
    string? LastFailureReason,
    DateTimeOffset? LastFailureAt);
