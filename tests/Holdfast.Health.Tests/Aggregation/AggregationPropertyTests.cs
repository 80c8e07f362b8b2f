using FsCheck;
using FsCheck.Fluent;
using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Observations;
using Holdfast.Health.Sources;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Health.Tests.Aggregation;

/// <summary>
/// Random histories of observations (each step: let 0–12 s pass, then one source observes up, down or
/// unexpected, or nobody does), with random rise and fall: a silent source never makes a target down.
/// </summary>
public sealed class AggregationPropertyTests
{
    private const string Api = "api.svc.example.";
    private static readonly Arbitrary<int[]> s_histories = Gen.ArrayOf(Gen.Choose(0, (13 * 4 * 3 * 9) - 1)).Resize(120).ToArbitrary();
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(new Replay(new Rnd(20251020UL), null));

    [Fact]
    public void SilentSource_AddedToTheVote_NeverChangesTheStateAtAll()
    {
        // Same history from a and b, the same quorum of 2: one aggregator also has c, which never speaks.
        // If silence counted for anything, the two would differ somewhere.
        Check.One(s_config, Prop.ForAll(s_histories, history =>
        {
            var (rise, fall) = RiseFall(history);
            using var withSilent = new Harness(["a", "b", "c"], 2, rise, fall);
            using var without = new Harness(["a", "b"], 2, rise, fall);
            foreach (var step in history)
            {
                var (advance, source, state) = Decode(step);
                withSilent.Step(advance, source == "c" ? null : source, state);
                without.Step(advance, source == "c" ? null : source, state);
                withSilent.State.ShouldBe(without.State, withSilent.Reason);
            }
        }));
    }

    [Fact]
    public void Down_AlwaysHasAFreshQuorumSayingDown()
    {
        Check.One(s_config, Prop.ForAll(s_histories, history =>
        {
            var (rise, fall) = RiseFall(history);
            using var health = new Harness(["a", "b", "c"], null, rise, fall);
            foreach (var step in history)
            {
                var (advance, source, state) = Decode(step);
                health.Step(advance, source, state);
                var status = health.Status;
                if (status.Health.State == HealthState.Down)
                {
                    status.Sources.Count(s => s.Fresh && s.Opinion == SourceOpinion.Down).ShouldBeGreaterThanOrEqualTo(status.Quorum, status.Reason);
                }
            }
        }));
    }

    [Fact]
    public void AllSourcesFallSilent_TargetIsUnknownOnceTheyAreStale()
    {
        Check.One(s_config, Prop.ForAll(s_histories, history =>
        {
            var (rise, fall) = RiseFall(history);
            using var health = new Harness(["a", "b", "c"], null, rise, fall);
            foreach (var step in history)
            {
                var (advance, source, state) = Decode(step);
                health.Step(advance, source, state);
            }

            // Fresh for 3 × 5 s after the last observation; one second more and every vote is unknown.
            health.Step(16, null, ObservationState.Up);
            health.State.ShouldBe(HealthState.Unknown, health.Reason);
        }));
    }

    private static (int Rise, int Fall) RiseFall(int[] history) =>
        history.Length == 0 ? (1, 1) : ((history[0] % 3) + 1, ((history[0] / 3) % 3) + 1);

    private static (int Advance, string? Source, ObservationState State) Decode(int step) =>
        (step % 13, ((step / 13) % 4) switch { 0 => "a", 1 => "b", 2 => "c", _ => null }, (ObservationState)((step / 52) % 3));

    private sealed class Harness : IDisposable
    {
        private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
        private readonly HealthAggregator _health;

        public Harness(string[] sources, int? quorum, int rise, int fall)
        {
            _health = new HealthAggregator(
                sources.Select(s => new HealthSourceOptions { Name = s, Kind = HealthSourceKind.External, Interval = TimeSpan.FromSeconds(5), Rise = rise, Fall = fall }),
                new HealthAggregationOptions { DownGrace = TimeSpan.FromSeconds(4), NewTargetGrace = TimeSpan.FromSeconds(6) },
                _time);
            _health.Configure([new TargetCheck(Api, "t1") { Sources = sources, Quorum = quorum }]);
        }

        public TargetStatus Status => _health.GetTargetStatus(Api, "t1")!;

        public HealthState State => Status.Health.State;

        public string Reason => Status.Reason;

        public void Step(int advanceSeconds, string? source, ObservationState state)
        {
            _time.Advance(TimeSpan.FromSeconds(advanceSeconds));
            if (source is not null)
            {
                _health.Record(source, Api, "t1", state, "random", _time.GetUtcNow()).ShouldBe(ObservationOutcome.Accepted);
            }
        }

        public void Dispose() => _health.Dispose();
    }
}
