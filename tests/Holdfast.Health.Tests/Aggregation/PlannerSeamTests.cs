using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Observations;
using Holdfast.Health.Sources;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Health.Tests.Aggregation;

/// <summary>The aggregator as the planner's <see cref="IHealthViewSource"/>: a quorum's down removes a target only after the grace; silence restores it.</summary>
public sealed class PlannerSeamTests
{
    [Fact]
    public async Task Planner_ReadingTheAggregator_RemovesADownTargetAfterTheGraceAndRestoresItWhenSourcesFallSilent()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var store = new InMemoryControlStore(time);
        var spec = Specs.Endpoint(targets: 3);
        await store.PutEndpointAsync(spec, "test");
        using var health = new HealthAggregator(
            new[] { "a", "b" }.Select(n => new HealthSourceOptions { Name = n, Kind = HealthSourceKind.External, Interval = TimeSpan.FromSeconds(5), Rise = 1, Fall = 1 }),
            new HealthAggregationOptions { DownGrace = TimeSpan.FromSeconds(10), NewTargetGrace = TimeSpan.Zero },
            time);
        health.Configure(spec.Targets.Select(t => new TargetCheck(spec.Name, t.Id) { Sources = ["a", "b"] }));
        using var planner = new PlannerLoop(store, health, new PlannerOptions(), time, new Random(7));

        void Report(string target, ObservationState state)
        {
            health.Record("a", spec.Name, target, state, state == ObservationState.Up ? null : "HTTP 503", time.GetUtcNow());
            health.Record("b", spec.Name, target, state, state == ObservationState.Up ? null : "HTTP 503", time.GetUtcNow());
        }

        async Task<string[]> LatestAsync() => (await store.ListPlansAsync(spec.Name))[^1].Plan.Records.Ids();

        foreach (var target in spec.Targets)
        {
            Report(target.Id, ObservationState.Up);
        }

        await planner.RunOnceAsync();
        (await LatestAsync()).ShouldBe(["t1", "t2", "t3"]);

        Report("t3", ObservationState.Down);
        time.Advance(TimeSpan.FromSeconds(5));
        Report("t1", ObservationState.Up);
        Report("t2", ObservationState.Up);
        Report("t3", ObservationState.Down);
        (await planner.RunOnceAsync()).Written.ShouldBeEmpty(); // 5 s of a 10 s grace

        time.Advance(TimeSpan.FromSeconds(5));
        (await planner.RunOnceAsync()).Written.ShouldHaveSingleItem();
        (await LatestAsync()).ShouldBe(["t1", "t2"]);

        // Every source goes silent: nobody vouches for t3 being down any more, so it serves again.
        time.Advance(TimeSpan.FromSeconds(16));
        health.GetView().Find(spec.Name, "t3")!.State.ShouldBe(HealthState.Unknown);
        (await planner.RunOnceAsync()).Written.ShouldHaveSingleItem();
        (await LatestAsync()).ShouldBe(["t1", "t2", "t3"]);
    }
}
