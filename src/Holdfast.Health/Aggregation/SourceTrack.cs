using Holdfast.Health.Observations;
using Holdfast.Health.Sources;

namespace Holdfast.Health.Aggregation;

/// <summary>
/// One source's record of one target: the streak of equal observations and the opinion the rise/fall
/// thresholds allow. Mutated only under the aggregator's lock.
/// </summary>
internal sealed class SourceTrack(HealthSourceOptions source)
{
    // External reasons come from the network; keep what we store (and show) bounded.
    internal const int MaxReasonLength = 256;

    public HealthSourceOptions Source { get; } = source;

    public ObservationState? LastState { get; private set; }

    public int Consecutive { get; private set; }

    public DateTimeOffset? LastAt { get; private set; }

    /// <summary>The opinion before staleness is applied.</summary>
    public SourceOpinion Opinion { get; private set; } = SourceOpinion.Unknown;

    public DateTimeOffset? OpinionSince { get; private set; }

    public string? LastFailureReason { get; private set; }

    public DateTimeOffset? LastFailureAt { get; private set; }

    /// <summary>Takes an observation; false (and nothing changed) when it is older than the last one.</summary>
    public bool Apply(ObservationState state, string? reason, DateTimeOffset at)
    {
        if (LastAt is { } last && at < last)
        {
            return false;
        }

        Consecutive = LastState == state && Consecutive < int.MaxValue ? Consecutive + 1 : 1;
        LastState = state;
        LastAt = at;
        if (state != ObservationState.Up)
        {
            reason = string.IsNullOrWhiteSpace(reason) ? (state == ObservationState.Down ? "down" : "unexpected") : reason;
            LastFailureReason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
            LastFailureAt = at;
        }

        // Rise/fall as in HAProxy: a single result never flips an opinion unless the threshold is 1.
        var threshold = state == ObservationState.Up ? Source.Rise : Source.Fall;
        var opinion = state switch
        {
            ObservationState.Up => SourceOpinion.Up,
            ObservationState.Down => SourceOpinion.Down,
            _ => SourceOpinion.Unexpected,
        };
        if (Opinion != opinion && Consecutive >= threshold)
        {
            Opinion = opinion;
            OpinionSince = at;
        }

        return true;
    }

    public bool IsFresh(DateTimeOffset now, double freshnessIntervals) =>
        LastAt is { } last && now - last <= Source.Interval * freshnessIntervals;

    /// <summary>The vote in the quorum: a stale or silent source is unknown, whatever it said last.</summary>
    public SourceOpinion Vote(DateTimeOffset now, double freshnessIntervals) =>
        IsFresh(now, freshnessIntervals) ? Opinion : SourceOpinion.Unknown;

    public SourceStatus ToStatus(DateTimeOffset now, double freshnessIntervals) => new(
        Source.Name,
        Vote(now, freshnessIntervals),
        IsFresh(now, freshnessIntervals),
        LastState,
        LastAt,
        Consecutive,
        OpinionSince,
        LastFailureReason,
        LastFailureAt);
}
