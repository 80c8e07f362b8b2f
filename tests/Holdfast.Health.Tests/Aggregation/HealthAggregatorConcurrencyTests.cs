using Holdfast.Health.Aggregation;
using Holdfast.Health.Observations;
using Holdfast.Health.Sources;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Health.Tests.Aggregation;

public sealed class HealthAggregatorConcurrencyTests
{
    private const string Api = "api.svc.example.";

    [Fact]
    public async Task RecordFromManyThreads_WhileReading_EveryObservationCountsAndEverySnapshotIsWhole()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        string[] sources = ["a", "b", "c", "d"];
        using var health = new HealthAggregator(
            sources.Select(n => new HealthSourceOptions { Name = n, Kind = HealthSourceKind.External }),
            new HealthAggregationOptions(),
            time);
        health.Configure(Enumerable.Range(0, 50).Select(i => new TargetCheck(Api, "t" + i) { Sources = sources }));
        const int perWriter = 5000;
        using var stop = new CancellationTokenSource();
        // The writers wait for the reader's first read: on a busy machine the reader could otherwise be
        // scheduled only after every write, and the test would read nothing concurrently.
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                health.GetView().Targets.Count.ShouldBe(50);
                health.GetTargetStatuses().Length.ShouldBe(50);
                reads++;
                reading.TrySetResult();
            }

            return reads;
        }, TestContext.Current.CancellationToken);
        await reading.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var writers = sources.Select((source, w) => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                health.Record(source, Api, "t" + (i % 50), (ObservationState)((i + w) % 3), "r", time.GetUtcNow()).ShouldBe(ObservationOutcome.Accepted);
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();

        (await reader).ShouldBeGreaterThan(0);
        // Writer w's last word on target t was observation i = 4950 + t, state (i + w) mod 3; successive states on a
        // target always differ (50 mod 3 ≠ 0), so every streak is 1. A lost or torn update would show here.
        foreach (var target in health.GetTargetStatuses())
        {
            var t = int.Parse(target.TargetId[1..], System.Globalization.CultureInfo.InvariantCulture);
            foreach (var status in target.Sources)
            {
                var w = Array.IndexOf(sources, status.Source);
                status.LastState.ShouldBe((ObservationState)((perWriter - 50 + t + w) % 3), $"{status.Source} on {target.TargetId}");
                status.Consecutive.ShouldBe(1);
            }
        }
    }

    [Fact]
    public void Options_ChangedAfterConstruction_ChangeNothing()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var source = new HealthSourceOptions { Name = "a", Kind = HealthSourceKind.External, Rise = 1 };
        var options = new HealthAggregationOptions { NewTargetGrace = TimeSpan.Zero };
        using var health = new HealthAggregator([source], options, time);
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);

        source.Rise = 5;
        options.FreshnessIntervals = 1000;
        health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow());

        health.GetView().Find(Api, "t1")!.State.ShouldBe(ControlPlane.Model.HealthState.Up);
        time.Advance(TimeSpan.FromSeconds(16));
        health.GetView().Find(Api, "t1")!.State.ShouldBe(ControlPlane.Model.HealthState.Unknown);
    }
}
