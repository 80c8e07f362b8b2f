using System.Diagnostics;
using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Demo;
using Holdfast.Health.Monitoring;
using Holdfast.Health.Observations;
using Holdfast.Health.Sources;

namespace Holdfast.Health.Tests.Monitoring;

/// <summary>
/// The whole of Holdfast.Health on the real clock: two HTTP sources probe two real listeners on 127.0.0.1;
/// stopping one listener takes its target down after <c>fall</c> failed checks, starting it again brings
/// it up after <c>rise</c> good ones, and the other target stays up throughout.
/// </summary>
public sealed class HealthMonitorEndToEndTests
{
    private const string Api = "api.svc.example.";
    private const int Rise = 2;
    private const int Fall = 3;
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(200);
    private const double Jitter = 0.1;

    [Fact]
    public async Task StopListener_TargetGoesDownAfterFall_StartAgain_UpAfterRise()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var listeners = DemoHealthListeners.Start(2);
        using var health = new HealthAggregator(
            [Source("probe-az1"), Source("probe-az2")],
            new HealthAggregationOptions { DownGrace = TimeSpan.Zero, NewTargetGrace = TimeSpan.Zero },
            TimeProvider.System);
        await using var monitor = new HealthMonitor(health, TimeProvider.System, new Random(20251020));
        monitor.Configure(
        [
            new TargetCheck(Api, "t1") { HttpUrl = listeners[0].Url },
            new TargetCheck(Api, "t2") { HttpUrl = listeners[1].Url },
        ]);
        monitor.Start(ct);

        await Eventually.HoldsAsync(() => State("t1") == HealthState.Up && State("t2") == HealthState.Up, "both targets up");

        var stopped = Stopwatch.StartNew();
        await listeners[0].StopAsync();
        await Eventually.HoldsAsync(() => State("t1") == HealthState.Down, "t1 down");
        var downAfter = stopped.Elapsed;

        // Fall 3 at 200 ms ± 10 %: the first failed check can come at once, the third two intervals later.
        downAfter.ShouldBeGreaterThanOrEqualTo(s_interval * (Fall - 1) * (1 - Jitter));
        var down = health.GetTargetStatus(Api, "t1")!;
        down.Reason.ShouldStartWith("2 of 2 fresh sources say down");
        down.Sources.ShouldAllBe(s => s.Opinion == SourceOpinion.Down && s.Consecutive >= Fall && s.LastFailureReason == "connection refused");
        State("t2").ShouldBe(HealthState.Up);

        var started = Stopwatch.StartNew();
        listeners[0].Start();
        await Eventually.HoldsAsync(() => State("t1") == HealthState.Up, "t1 up again");
        var upAfter = started.Elapsed;

        upAfter.ShouldBeGreaterThanOrEqualTo(s_interval * (Rise - 1) * (1 - Jitter));
        var up = health.GetTargetStatus(Api, "t1")!;
        up.Sources.Count(s => s.Opinion == SourceOpinion.Up && s.LastState == ObservationState.Up && s.Consecutive >= Rise).ShouldBeGreaterThanOrEqualTo(2);
        up.Health.Since.ShouldBeGreaterThan(down.Health.Since);
        State("t2").ShouldBe(HealthState.Up);
        monitor.ProberErrors.ShouldBe(0);

        TestContext.Current.TestOutputHelper?.WriteLine($"down after {downAfter.TotalMilliseconds:0} ms, up after {upAfter.TotalMilliseconds:0} ms, {monitor.Probes} checks");

        HealthState State(string target) => health.GetView().Find(Api, target)?.State ?? HealthState.Unknown;
    }

    [Fact]
    public async Task TcpSource_StopListener_TargetGoesDown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var listener = DemoHealthListener.Listen(IPAddress.Loopback);
        using var health = new HealthAggregator(
            [Source("tcp-az1", HealthSourceKind.Tcp)],
            new HealthAggregationOptions { DownGrace = TimeSpan.Zero, NewTargetGrace = TimeSpan.Zero },
            TimeProvider.System);
        await using var monitor = new HealthMonitor(health, TimeProvider.System, new Random(1));
        monitor.Configure([new TargetCheck(Api, "t1") { TcpEndpoint = listener.EndPoint }]);
        monitor.Start(ct);

        await Eventually.HoldsAsync(() => health.GetView().Find(Api, "t1")?.State == HealthState.Up, "t1 up");
        await listener.StopAsync();
        await Eventually.HoldsAsync(() => health.GetView().IsDown(Api, "t1"), "t1 down");

        health.GetTargetStatus(Api, "t1")!.Sources[0].LastFailureReason.ShouldBe("connection refused");
    }

    private static HealthSourceOptions Source(string name, HealthSourceKind kind = HealthSourceKind.Http) => new()
    {
        Name = name,
        Kind = kind,
        Interval = s_interval,
        Timeout = TimeSpan.FromMilliseconds(150),
        Jitter = Jitter,
        Rise = Rise,
        Fall = Fall,
    };
}
