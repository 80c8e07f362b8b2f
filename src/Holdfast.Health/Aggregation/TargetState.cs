using System.Collections.Immutable;
using System.Globalization;
using Holdfast.ControlPlane.Model;

namespace Holdfast.Health.Aggregation;

/// <summary>One configured target: its sources' tracks and its aggregated state. Mutated only under the aggregator's lock.</summary>
internal sealed class TargetState(TargetCheck check, SourceTrack[] tracks, int quorum, DateTimeOffset addedAt)
{
    public TargetCheck Check { get; set; } = check;

    public SourceTrack[] Tracks { get; set; } = tracks;

    public int Quorum { get; set; } = quorum;

    public DateTimeOffset AddedAt { get; } = addedAt;

    /// <summary>Up at least once: the new-target grace is over.</summary>
    public bool EverUp { get; private set; }

    public HealthState State { get; private set; } = HealthState.Unknown;

    public DateTimeOffset Since { get; private set; } = addedAt;

    public string Reason { get; private set; } = "new target: no observations yet";

    public SourceTrack? Find(string source) => Array.Find(Tracks, t => t.Source.Name == source);

    /// <summary>
    /// Applies the rules at <paramref name="now"/>; returns the previous state when the state changed, else null.
    /// </summary>
    /// <remarks>
    /// The rules, in order (n sources, quorum q, fresh votes only — a stale or silent source is unknown):
    /// <code>
    /// condition                                                        state
    /// ≥ q say down, for ≥ down grace (since the q-th of them flipped),
    ///   and the target is past its new-target grace                    Down
    /// ≥ q say up                                                       Up
    /// ≥ q say down, grace not over yet                                 unchanged (Up stays Up, Unknown stays Unknown)
    /// otherwise (silence, staleness, unexpected answers, a split vote) Unknown
    /// </code>
    /// "Unexpected" votes count towards neither side: a misconfigured check (a 404, a redirect) must not
    /// pull a target, and must not vouch for it either.
    /// </remarks>
    public HealthState? Evaluate(DateTimeOffset now, HealthAggregationOptions options)
    {
        var k = options.FreshnessIntervals;
        var downSince = new List<DateTimeOffset>(Tracks.Length);
        int up = 0, unexpected = 0, silent = 0;
        foreach (var track in Tracks)
        {
            switch (track.Vote(now, k))
            {
                case SourceOpinion.Down:
                    downSince.Add(track.OpinionSince!.Value);
                    break;
                case SourceOpinion.Up:
                    up++;
                    break;
                case SourceOpinion.Unexpected:
                    unexpected++;
                    break;
                default:
                    silent++;
                    break;
            }
        }

        var n = Tracks.Length;
        var newTargetGraceEnds = AddedAt + options.NewTargetGrace;
        var inNewTargetGrace = !EverUp && now < newTargetGraceEnds;
        HealthState next;
        string reason;
        if (downSince.Count >= Quorum)
        {
            downSince.Sort();
            var heldFor = now - downSince[Quorum - 1];
            var said = $"{downSince.Count} of {n} fresh sources say down for {Seconds(heldFor)} (quorum {Quorum}, grace {Seconds(options.DownGrace)})";
            if (heldFor >= options.DownGrace && !inNewTargetGrace)
            {
                (next, reason) = (HealthState.Down, said);
            }
            else if (up >= Quorum)
            {
                (next, reason) = (HealthState.Up, $"{up} of {n} fresh sources say up (quorum {Quorum}); {said}");
            }
            else
            {
                var until = heldFor >= options.DownGrace
                    ? $"new target, in its grace until {newTargetGraceEnds:O}"
                    : "waiting out the grace";
                (next, reason) = (State, $"{said}; {until}");
            }
        }
        else if (up >= Quorum)
        {
            (next, reason) = (HealthState.Up, $"{up} of {n} fresh sources say up (quorum {Quorum})");
        }
        else
        {
            (next, reason) = (HealthState.Unknown, $"no quorum of {Quorum} of {n}: {up} up, {downSince.Count} down, {unexpected} unexpected, {silent} silent or stale");
        }

        if (next == HealthState.Up)
        {
            EverUp = true;
        }

        Reason = reason;
        if (next == State)
        {
            return null;
        }

        var previous = State;
        State = next;
        Since = now;
        return previous;
    }

    /// <summary>Where this target waits in the aggregator's deadline queue (null when it waits for nothing).</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>
    /// The earliest moment after <paramref name="now"/> at which <see cref="Evaluate"/> could decide differently
    /// without a new observation, or null when only an observation can change it: a source's last observation
    /// going stale, a quorum's down grace running out, the new-target grace ending. The aggregator evaluates
    /// each target at its deadline instead of evaluating every target on a timer, so that an idle system does
    /// no work and a grace expiry shows at once rather than on the next tick.
    /// </summary>
    public DateTimeOffset? NextDeadline(DateTimeOffset now, HealthAggregationOptions options)
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset at)
        {
            if (at > now && (next is null || at < next))
            {
                next = at;
            }
        }

        var downSince = new List<DateTimeOffset>(Tracks.Length);
        foreach (var track in Tracks)
        {
            if (track.LastAt is { } last)
            {
                // IsFresh holds while now - last <= interval × k: the vote changes just after that instant.
                Consider(last + (track.Source.Interval * options.FreshnessIntervals) + TimeSpan.FromTicks(1));
            }

            if (track.Vote(now, options.FreshnessIntervals) == SourceOpinion.Down)
            {
                downSince.Add(track.OpinionSince!.Value);
            }
        }

        if (downSince.Count >= Quorum)
        {
            downSince.Sort();
            Consider(downSince[Quorum - 1] + options.DownGrace);
        }

        if (!EverUp)
        {
            Consider(AddedAt + options.NewTargetGrace);
        }

        return next;
    }

    public TargetStatus ToStatus(DateTimeOffset now, double freshnessIntervals) => new(
        Check.Endpoint,
        Check.TargetId,
        new TargetHealth(State, Since),
        Quorum,
        Reason,
        AddedAt,
        Tracks.Select(t => t.ToStatus(now, freshnessIntervals)).ToImmutableArray());

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
