using System.Collections.Concurrent;
using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Monitoring;
using Holdfast.Health.Observations;
using Holdfast.Health.Probing;
using Holdfast.Health.Sources;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Health.Tests.Monitoring;

/// <summary>The monitor's scheduling with scripted probers on a manual clock.</summary>
public sealed class HealthMonitorTests
{
    private const string Api = "api.svc.example.";

    [Fact]
    public async Task ProberThrows_IsCountedReportedAndRecordedDown()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var observer = new FailureObserver();
        using var health = Aggregator(time, Source("probe-a"));
        await using var monitor = new HealthMonitor(health, time, new Random(7), observer: observer, proberFactory: _ => new ScriptedProber(time, _ => throw new InvalidOperationException("boom")));
        monitor.Configure([Check("t1")]);

        monitor.Start(TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => health.GetView().IsDown(Api, "t1"), "t1 down", time);

        monitor.ProberErrors.ShouldBeGreaterThanOrEqualTo(1);
        observer.Failures.ShouldContain(("probe-a", "t1", "boom"));
        var source = health.GetTargetStatus(Api, "t1")!.Sources.ShouldHaveSingleItem();
        source.LastFailureReason.ShouldBe("prober error: boom");
        monitor.RunningLoops.ShouldBe(1); // the loop survived its prober's exceptions
    }

    [Fact]
    public async Task ProberReturnsUndefinedState_IsAProberError()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        using var health = Aggregator(time, Source("probe-a"));
        await using var monitor = new HealthMonitor(health, time, new Random(7), proberFactory: _ => new ScriptedProber(time, _ => Task.FromResult(new ProbeResult((ObservationState)42, null))));
        monitor.Configure([Check("t1")]);

        monitor.Start(TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => monitor.ProberErrors >= 2, "two prober errors", time);

        health.GetTargetStatus(Api, "t1")!.Sources[0].LastFailureReason.ShouldBe("prober error: the prober returned an undefined state 42");
        monitor.RunningLoops.ShouldBe(1);
    }

    [Fact]
    public async Task ManyTargets_RunAtMostMaxConcurrentProbesAtOnce()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int current = 0, max = 0;
        var prober = new ScriptedProber(time, async _ =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref max, now);
            await gate.Task;
            Interlocked.Decrement(ref current);
            return ProbeResult.Up;
        });
        using var health = Aggregator(time, Source("probe-a"));
        await using var monitor = new HealthMonitor(health, time, new Random(7), new HealthMonitorOptions { MaxConcurrentProbes = 2 }, proberFactory: _ => prober);
        monitor.Configure(Enumerable.Range(1, 6).Select(i => Check("t" + i)));

        monitor.Start(TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => Volatile.Read(ref current) == 2, "two probes in flight", time);
        time.Advance(TimeSpan.FromSeconds(10)); // every loop is past its first delay and waiting for a slot
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Volatile.Read(ref max).ShouldBe(2);
        gate.SetResult();
        await Eventually.HoldsAsync(() => prober.Calls.Select(c => c.Target).Distinct().Count() == 6, "every target probed", time);
        Volatile.Read(ref max).ShouldBe(2);
    }

    [Fact]
    public async Task Configure_WhileRunning_StartsAndStopsLoopsToMatch()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var prober = new ScriptedProber(time, _ => Task.FromResult(ProbeResult.Up));
        using var health = Aggregator(time, Source("probe-a"), Source("probe-b"), new HealthSourceOptions { Name = "pager", Kind = HealthSourceKind.External });
        await using var monitor = new HealthMonitor(health, time, new Random(7), proberFactory: _ => prober);
        monitor.Configure([Check("t1")]);
        monitor.Start(TestContext.Current.CancellationToken);
        monitor.RunningLoops.ShouldBe(2);

        monitor.Configure([Check("t1"), Check("t2"), Check("t3") with { Sources = ["probe-a", "pager"] }]);
        monitor.RunningLoops.ShouldBe(5); // the external source runs no loop
        await Eventually.HoldsAsync(() => prober.Calls.Any(c => c.Target == "t3"), "t3 probed", time);

        monitor.Configure([Check("t3")]);
        monitor.RunningLoops.ShouldBe(2);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var mark = prober.Calls.Count;
        time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => prober.Calls.Count >= mark + 4, "t3 probed again", time);
        prober.Calls.Skip(mark).ShouldAllBe(c => c.Target == "t3");
    }

    [Fact]
    public async Task ConfigureEndpoints_WhileRunning_ReconcilesOnlyThatEndpointsLoops()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var prober = new ScriptedProber(time, _ => Task.FromResult(ProbeResult.Up));
        using var health = Aggregator(time, Source("probe-a"));
        await using var monitor = new HealthMonitor(health, time, new Random(7), proberFactory: _ => prober);
        var other = Check("w1") with { Endpoint = "web.svc.example." };
        monitor.Configure([Check("t1"), Check("t2"), other]);
        monitor.Start(TestContext.Current.CancellationToken);
        monitor.RunningLoops.ShouldBe(3);

        monitor.ConfigureEndpoints([Check("t1").Endpoint], [Check("t2"), Check("t4")]);

        monitor.RunningLoops.ShouldBe(3);
        health.Checks.Select(c => c.Key).Order(StringComparer.Ordinal).ShouldBe([Check("t2").Key, Check("t4").Key, other.Key]);
        await Eventually.HoldsAsync(() => prober.Calls.Any(c => c.Target == "t4") && prober.Calls.Any(c => c.Target == "w1"), "t4 and w1 probed", time);
        var mark = prober.Calls.Count;
        time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => prober.Calls.Count >= mark + 3, "probed again", time);
        prober.Calls.Skip(mark).ShouldNotContain(c => c.Target == "t1");
    }

    [Fact]
    public async Task Loop_WaitsIntervalWithJitterBetweenChecks()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var prober = new ScriptedProber(time, _ => Task.FromResult(ProbeResult.Up));
        using var health = Aggregator(time, Source("probe-a", jitter: 0.2, intervalSeconds: 1));
        await using var monitor = new HealthMonitor(health, time, new Random(42), proberFactory: _ => prober);
        monitor.Configure([Check("t1")]);

        monitor.Start(TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => prober.Calls.Count >= 12, "twelve checks", time, TimeSpan.FromMilliseconds(20));

        var times = prober.Calls.Select(c => c.At).ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        times[0].ShouldBeLessThan(TestTime.IncidentStart + TimeSpan.FromSeconds(1.02)); // first check within one interval
        gaps.ShouldAllBe(g => g >= 0.78 && g <= 1.22); // 1 s × (1 ± 0.2), give or take one clock step
        gaps.Distinct().Count().ShouldBeGreaterThan(3); // jitter drawn each time, not once
    }

    [Fact]
    public async Task StopAsync_EndsEveryLoopAndProbingStops()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var prober = new ScriptedProber(time, _ => Task.FromResult(ProbeResult.Up));
        using var health = Aggregator(time, Source("probe-a"));
        var monitor = new HealthMonitor(health, time, new Random(7), proberFactory: _ => prober);
        monitor.Configure([Check("t1"), Check("t2")]);
        monitor.Start(TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => prober.Calls.Count >= 2, "first checks", time);

        await monitor.StopAsync();
        var mark = prober.Calls.Count;
        time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(100, TestContext.Current.CancellationToken);

        monitor.RunningLoops.ShouldBe(0);
        prober.Calls.Count.ShouldBe(mark);
        await monitor.DisposeAsync();
        prober.Disposed.ShouldBeTrue();
        Should.Throw<ObjectDisposedException>(() => monitor.Start());
    }

    [Fact]
    public async Task Start_Twice_Throws()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        using var health = Aggregator(time, Source("probe-a"));
        await using var monitor = new HealthMonitor(health, time, new Random(7), proberFactory: _ => new ScriptedProber(time, _ => Task.FromResult(ProbeResult.Up)));
        monitor.Start(TestContext.Current.CancellationToken);

        Should.Throw<InvalidOperationException>(() => monitor.Start()).Message.ShouldContain("already running");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheKey()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        using var health = Aggregator(time, Source("probe-a"));

        Should.Throw<ArgumentException>(() => new HealthMonitor(health, time, new Random(7), new HealthMonitorOptions { MaxConcurrentProbes = 0 }))
            .Message.ShouldContain("health.monitor.maxConcurrentProbes: expected 1 to 10000, got 0");
    }

    private static HealthSourceOptions Source(string name, double jitter = 0.1, int intervalSeconds = 5) =>
        new() { Name = name, Kind = HealthSourceKind.Http, Interval = TimeSpan.FromSeconds(intervalSeconds), Timeout = TimeSpan.FromSeconds(1), Jitter = jitter, Rise = 1, Fall = 1 };

    private static TargetCheck Check(string target) => new(Api, target) { HttpUrl = new Uri($"http://127.0.0.1:1/{target}") };

    private static HealthAggregator Aggregator(FakeTimeProvider time, params HealthSourceOptions[] sources) =>
        new(sources, new HealthAggregationOptions { DownGrace = TimeSpan.Zero, NewTargetGrace = TimeSpan.Zero }, time);

    private static void InterlockedMax(ref int location, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref location)) < value && Interlocked.CompareExchange(ref location, value, seen) != seen)
        {
        }
    }

    private sealed class ScriptedProber(TimeProvider time, Func<TargetCheck, Task<ProbeResult>> probe) : IProber, IDisposable
    {
        private readonly ConcurrentQueue<(string Target, DateTimeOffset At)> _calls = new();

        public IReadOnlyList<(string Target, DateTimeOffset At)> Calls => [.. _calls];

        public bool Disposed { get; private set; }

        public Task<ProbeResult> ProbeAsync(TargetCheck check, CancellationToken cancellationToken)
        {
            _calls.Enqueue((check.TargetId, time.GetUtcNow()));
            return probe(check);
        }

        public void Dispose() => Disposed = true;
    }

    private sealed class FailureObserver : IHealthObserver
    {
        public ConcurrentBag<(string Source, string Target, string Message)> Failures { get; } = [];

        public void Observed(string source, string endpoint, string targetId, ObservationState state, string? reason)
        {
        }

        public void TargetHealthChanged(TargetStatus status, HealthState previous)
        {
        }

        public void ProberFailed(string source, string endpoint, string targetId, Exception exception) => Failures.Add((source, targetId, exception.Message));
    }
}
