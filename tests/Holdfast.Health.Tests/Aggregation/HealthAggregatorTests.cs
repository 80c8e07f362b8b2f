using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Monitoring;
using Holdfast.Health.Observations;
using Holdfast.Health.Sources;
using Holdfast.Testing;

namespace Holdfast.Health.Tests.Aggregation;

public sealed class HealthAggregatorTests
{
    private const string Api = "api.svc.example.";
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Record_UnknownSourceTargetOrUnassignedSource_IsRefusedAndChangesNothing()
    {
        using var health = Aggregator(out var time, External("a"), External("b"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);
        var before = health.GetTargetStatus(Api, "t1");
        var now = time.GetUtcNow();

        health.Record("zz", Api, "t1", ObservationState.Down, "x", now).ShouldBe(ObservationOutcome.UnknownSource);
        health.Record("a", Api, "t9", ObservationState.Down, "x", now).ShouldBe(ObservationOutcome.UnknownTarget);
        health.Record("a", "web.svc.example.", "t1", ObservationState.Down, "x", now).ShouldBe(ObservationOutcome.UnknownTarget);
        health.Record("b", Api, "t1", ObservationState.Down, "x", now).ShouldBe(ObservationOutcome.SourceNotAssigned);

        health.GetTargetStatus(Api, "t1").ShouldBe(before);
    }

    [Fact]
    public void Record_OlderThanLastObservation_IsOutOfOrderAndIgnored()
    {
        using var health = Aggregator(out var time, External("a"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);
        var now = time.GetUtcNow();
        health.Record("a", Api, "t1", ObservationState.Up, null, now).ShouldBe(ObservationOutcome.Accepted);

        health.Record("a", Api, "t1", ObservationState.Down, "late", now - s_second).ShouldBe(ObservationOutcome.OutOfOrder);

        var source = health.GetTargetStatus(Api, "t1")!.Sources.ShouldHaveSingleItem();
        source.LastState.ShouldBe(ObservationState.Up);
        source.LastFailureReason.ShouldBeNull();
    }

    [Fact]
    public void Record_TimeInTheFuture_IsTakenAsNowSoTheSourceCannotStayFresh()
    {
        using var health = Aggregator(out var time, External("a"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);

        health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow().AddHours(1)).ShouldBe(ObservationOutcome.Accepted);

        health.GetTargetStatus(Api, "t1")!.Sources[0].LastCheckedAt.ShouldBe(time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(16));
        health.GetTargetStatus(Api, "t1")!.Sources[0].Fresh.ShouldBeFalse();
    }

    [Fact]
    public void GetTargetStatuses_PerSource_ShowsStateLastCheckConsecutiveAndLastFailure()
    {
        using var health = Aggregator(out var time, External("a", fall: 2), External("b"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a", "b"] }]);
        var t0 = time.GetUtcNow();
        health.Record("a", Api, "t1", ObservationState.Down, "HTTP 503", t0);
        health.Record("b", Api, "t1", ObservationState.Up, null, t0);
        time.Advance(TimeSpan.FromSeconds(5));
        var t5 = time.GetUtcNow();
        health.Record("a", Api, "t1", ObservationState.Down, "timeout after 2000 ms", t5);
        time.Advance(TimeSpan.FromSeconds(5));
        health.Record("b", Api, "t1", ObservationState.Up, null, time.GetUtcNow());

        var status = health.GetTargetStatuses().ShouldHaveSingleItem();
        status.Endpoint.ShouldBe(Api);
        status.TargetId.ShouldBe("t1");
        status.Quorum.ShouldBe(2);
        var a = status.Sources.Single(s => s.Source == "a");
        a.ShouldBe(new SourceStatus("a", SourceOpinion.Down, true, ObservationState.Down, t5, 2, t5, "timeout after 2000 ms", t5));
        var b = status.Sources.Single(s => s.Source == "b");
        b.Opinion.ShouldBe(SourceOpinion.Up);
        b.Consecutive.ShouldBe(2);
        b.LastFailureReason.ShouldBeNull();

        // The last failure stays visible after the source recovers; staleness shows as unknown.
        health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(16));
        a = health.GetTargetStatus(Api, "t1")!.Sources.Single(s => s.Source == "a");
        a.LastFailureReason.ShouldBe("timeout after 2000 ms");
        a.LastFailureAt.ShouldBe(t5);
        a.Fresh.ShouldBeFalse();
        a.Opinion.ShouldBe(SourceOpinion.Unknown);
    }

    [Fact]
    public void Record_LongOrMissingReason_IsBoundedOrNamed()
    {
        using var health = Aggregator(out var time, External("a"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);

        health.Record("a", Api, "t1", ObservationState.Down, new string('x', 10_000), time.GetUtcNow());
        health.GetTargetStatus(Api, "t1")!.Sources[0].LastFailureReason!.Length.ShouldBe(256);

        health.Record("a", Api, "t1", ObservationState.Unexpected, null, time.GetUtcNow());
        health.GetTargetStatus(Api, "t1")!.Sources[0].LastFailureReason.ShouldBe("unexpected");
    }

    [Fact]
    public void GetView_Since_IsWhenTheAggregatedStateBegan()
    {
        using var health = Aggregator(out var time, External("a"));
        var added = time.GetUtcNow();
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);
        health.GetView().Find(Api, "t1").ShouldBe(new TargetHealth(HealthState.Unknown, added));

        time.Advance(TimeSpan.FromSeconds(3));
        var upAt = time.GetUtcNow();
        health.Record("a", Api, "t1", ObservationState.Up, null, upAt);
        time.Advance(TimeSpan.FromSeconds(4));
        health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow());
        health.GetView().Find(Api, "t1").ShouldBe(new TargetHealth(HealthState.Up, upAt));

        var downSaid = time.GetUtcNow();
        health.Record("a", Api, "t1", ObservationState.Down, "HTTP 500", downSaid);
        // The evaluation timer notices the grace ending at +10 s. The fake clock runs a timer at the instant it was
        // advanced to, so move to the deadline first, as real time would pass it, then beyond.
        time.Advance(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(2));
        health.GetView().Find(Api, "t1").ShouldBe(new TargetHealth(HealthState.Down, downSaid + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void GetView_ReturnedSnapshot_NeverChangesAfterwards()
    {
        using var health = Aggregator(out var time, External("a"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);
        var view = health.GetView();

        health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow());

        view.Find(Api, "t1")!.State.ShouldBe(HealthState.Unknown);
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Up);
        health.GetView().ShouldNotBeSameAs(view);
    }

    [Fact]
    public void Configure_Again_KeepsUnchangedTargetsAddsNewAndForgetsRemoved()
    {
        using var health = Aggregator(out var time, External("a"), External("b"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a", "b"] }, new TargetCheck(Api, "t2") { Sources = ["a"] }]);
        var t0 = time.GetUtcNow();
        health.Record("a", Api, "t1", ObservationState.Up, null, t0);
        health.Record("b", Api, "t1", ObservationState.Up, null, t0);
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Up);

        time.Advance(TimeSpan.FromSeconds(2));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }, new TargetCheck(Api, "t3") { Sources = ["b"] }]);

        var t1 = health.GetTargetStatus(Api, "t1")!;
        t1.Health.ShouldBe(new TargetHealth(HealthState.Up, t0));
        t1.AddedAt.ShouldBe(t0);
        t1.Quorum.ShouldBe(1);
        t1.Sources.ShouldHaveSingleItem().LastCheckedAt.ShouldBe(t0);
        health.GetTargetStatus(Api, "t2").ShouldBeNull();
        health.GetView().Find(Api, "t2").ShouldBeNull();
        health.Record("a", Api, "t2", ObservationState.Up, null, time.GetUtcNow()).ShouldBe(ObservationOutcome.UnknownTarget);
        var t3 = health.GetTargetStatus(Api, "t3")!;
        t3.Health.ShouldBe(new TargetHealth(HealthState.Unknown, time.GetUtcNow()));
        t3.AddedAt.ShouldBe(time.GetUtcNow());
        health.Checks.Select(c => c.TargetId).Order().ShouldBe(["t1", "t3"]);
    }

    [Fact]
    public void Configure_Invalid_ThrowsNamingEveryProblemAndChangesNothing()
    {
        using var health = Aggregator(out _, External("a"), Http("probe-1"), Tcp("tcp-1"));
        var good = new TargetCheck(Api, "t1") { Sources = ["a"] };
        health.Configure([good]);

        var ex = Should.Throw<ArgumentException>(() => health.Configure(
        [
            good,
            new TargetCheck(Api, "t2") { Sources = ["nope"] },
            new TargetCheck(Api, "t3") { Sources = ["probe-1"] },
            new TargetCheck(Api, "t4") { Sources = ["tcp-1"] },
            new TargetCheck(Api, "t5"),
            new TargetCheck(Api, "t6") { Sources = ["a"], Quorum = 2 },
            new TargetCheck(Api, "t1") { Sources = ["a"] },
            new TargetCheck(Api, "t7") { HttpUrl = new Uri("ftp://127.0.0.1/x") },
        ]));

        ex.Message.ShouldContain($"target {Api}/t2: health source 'nope' is not configured");
        ex.Message.ShouldContain($"target {Api}/t3: health source 'probe-1' probes HTTP but the target has no healthCheck.http URL");
        ex.Message.ShouldContain($"target {Api}/t4: health source 'tcp-1' probes TCP but the target has no healthCheck.tcp address");
        ex.Message.ShouldContain($"target {Api}/t5: no health source checks it");
        ex.Message.ShouldContain($"target {Api}/t6: quorum expected 1 to 1 (its number of sources), got 2");
        ex.Message.ShouldContain($"target {Api}/t1: configured twice");
        ex.Message.ShouldContain($"target {Api}/t7: healthCheck.http expected an absolute http:// or https:// URL, got 'ftp://127.0.0.1/x'");
        health.Checks.ShouldBe([good]);
    }

    [Fact]
    public void Configure_NoSourcesNamed_VotersAreTheActiveSourcesWithSomethingToCheck()
    {
        using var health = Aggregator(out _, External("ext"), Http("http-a"), Http("http-b"), Tcp("tcp-a"));
        health.Configure(
        [
            new TargetCheck(Api, "http-only") { HttpUrl = new Uri("http://127.0.0.1:8080/healthz") },
            new TargetCheck(Api, "both") { HttpUrl = new Uri("http://127.0.0.1:8080/healthz"), TcpEndpoint = new IPEndPoint(IPAddress.Loopback, 80) },
            new TargetCheck(Api, "tcp-and-ext") { TcpEndpoint = new IPEndPoint(IPAddress.Loopback, 80), Sources = ["tcp-a", "ext"] },
        ]);

        var statuses = health.GetTargetStatuses().ToDictionary(s => s.TargetId);
        statuses["http-only"].Sources.Select(s => s.Source).ShouldBe(["http-a", "http-b"]);
        statuses["http-only"].Quorum.ShouldBe(2);
        statuses["both"].Sources.Select(s => s.Source).ShouldBe(["http-a", "http-b", "tcp-a"]);
        statuses["both"].Quorum.ShouldBe(2);
        statuses["tcp-and-ext"].Sources.Select(s => s.Source).ShouldBe(["tcp-a", "ext"]);
    }

    [Fact]
    public void Constructor_InvalidSources_ThrowsNamingTheKeys()
    {
        var ex = Should.Throw<ArgumentException>(() => new HealthAggregator(
            [
                new HealthSourceOptions { Name = "ok", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2), Rise = 0 },
                new HealthSourceOptions { Name = "ok", Jitter = 0.9, Fall = 101 },
                new HealthSourceOptions { Name = "bad name!", Interval = TimeSpan.Zero },
            ],
            new HealthAggregationOptions { FreshnessIntervals = 0.5 },
            new TimerCountingTimeProvider(TestTime.IncidentStart)));

        ex.Message.ShouldContain("health.sources[0].timeout: expected a positive duration no longer than the interval (00:00:01), got 00:00:02");
        ex.Message.ShouldContain("health.sources[0].rise: expected 1 to 100 consecutive results, got 0");
        ex.Message.ShouldContain("health.sources[1].jitter: expected a fraction from 0 to 0.5, got 0.9");
        ex.Message.ShouldContain("health.sources[1].fall: expected 1 to 100 consecutive results, got 101");
        ex.Message.ShouldContain("health.sources[1].name: 'ok' is already the name of another source");
        ex.Message.ShouldContain("health.sources[2].name: expected a non-empty name of letters, digits, '-', '_' or '.', got 'bad name!'");
        ex.Message.ShouldContain("health.sources[2].interval: expected a positive duration, got 00:00:00");
        ex.Message.ShouldContain("health.aggregation.freshnessIntervals: expected a number from 1 to 1000, got 0.5");
    }

    [Fact]
    public void Validate_ValidConfiguration_HasNoErrors()
    {
        HealthConfiguration.Validate(
            [Http("probe-a"), Http("probe-b"), External("pager")],
            new HealthAggregationOptions(),
            [new TargetCheck(Api, "t1") { HttpUrl = new Uri("http://127.0.0.1:9000/healthz") }, new TargetCheck(Api, "t2") { Sources = ["pager"] }])
            .ShouldBeEmpty();
    }

    [Fact]
    public void Observer_StateChange_IsReportedOnceWithThePreviousState()
    {
        var observer = new RecordingObserver();
        var time = new TimerCountingTimeProvider(TestTime.IncidentStart);
        using var health = new HealthAggregator([External("a")], new HealthAggregationOptions { NewTargetGrace = TimeSpan.Zero, DownGrace = TimeSpan.Zero }, time, observer);
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);
        var at = time.GetUtcNow();

        health.Record("a", Api, "t1", ObservationState.Up, null, at);
        health.Record("a", Api, "t1", ObservationState.Up, null, at);
        health.Record("a", Api, "t1", ObservationState.Down, "HTTP 503", at);
        health.Evaluate();

        observer.Changes.ShouldBe([(HealthState.Unknown, HealthState.Up), (HealthState.Up, HealthState.Down)]);
        observer.Observations.ShouldBe(3);
    }

    [Fact]
    public void Deadline_DownGraceRunsOut_TargetIsDownAtThatInstantNotOnALaterTick()
    {
        var time = new TimerCountingTimeProvider(TestTime.IncidentStart);
        using var health = new HealthAggregator([External("a")], new HealthAggregationOptions { NewTargetGrace = TimeSpan.Zero, DownGrace = TimeSpan.FromSeconds(10) }, time);
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);
        health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow());
        time.Advance(TimeSpan.FromMilliseconds(300));
        var downAt = time.GetUtcNow();
        health.Record("a", Api, "t1", ObservationState.Down, "HTTP 503", downAt);

        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Up);
        time.Advance(TimeSpan.FromTicks(1));

        var now = health.GetView().Find(Api, "t1")!;
        now.State.ShouldBe(HealthState.Down);
        now.Since.ShouldBe(downAt + TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Deadline_NothingCanChangeWithoutAnObservation_NoTimerIsArmed()
    {
        using var health = Aggregator(out var time, External("a"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }, new TargetCheck(Api, "t2") { Sources = ["a"] }]);
        health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow());
        health.PendingDeadlines.ShouldBe(1);
        time.ArmedTimers.ShouldBe(1);

        // t1's report goes stale after 3 × 5 s; after that only a new report can change either target.
        time.Advance(TimeSpan.FromSeconds(16));

        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Unknown);
        health.PendingDeadlines.ShouldBe(0);
        time.ArmedTimers.ShouldBe(0);
    }

    [Fact]
    public void Deadline_ManyReportsRescheduleOneTarget_TheQueueStaysBoundedAndTheLastDeadlineHolds()
    {
        using var health = Aggregator(out var time, External("a"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);
        for (var i = 0; i < 5000; i++)
        {
            health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow());
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        time.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromMilliseconds(1));
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Up);
        time.Advance(TimeSpan.FromMilliseconds(1));
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Unknown);
    }

    [Fact]
    public void ConfigureEndpoints_OneEndpoint_OtherEndpointsKeepTheirStatusObjectsAndState()
    {
        using var health = Aggregator(out var time, External("a"));
        const string web = "web.svc.example.";
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }, new TargetCheck(Api, "t2") { Sources = ["a"] }, new TargetCheck(web, "w1") { Sources = ["a"] }]);
        var now = time.GetUtcNow();
        health.Record("a", Api, "t1", ObservationState.Up, null, now);
        health.Record("a", web, "w1", ObservationState.Up, null, now);
        var webBefore = health.GetTargetStatus(web, "w1");

        var touched = health.ConfigureEndpoints([Api], [new TargetCheck(Api, "t1") { Sources = ["a"] }, new TargetCheck(Api, "t3") { Sources = ["a"] }]);

        touched.Order(StringComparer.Ordinal).ShouldBe([HealthView.Key(Api, "t1"), HealthView.Key(Api, "t2"), HealthView.Key(Api, "t3")]);
        health.GetTargetStatus(web, "w1").ShouldBeSameAs(webBefore);
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Up);
        health.GetTargetStatus(Api, "t2").ShouldBeNull();
        health.GetView().Find(Api, "t2").ShouldBeNull();
        health.GetTargetStatus(Api, "t3")!.Health.State.ShouldBe(HealthState.Unknown);
        health.KeysOf(Api).Order(StringComparer.Ordinal).ShouldBe([HealthView.Key(Api, "t1"), HealthView.Key(Api, "t3")]);
    }

    [Fact]
    public void CountTargets_AfterRecordsDeadlinesAndReconfiguration_EqualsACountOfEveryStatus()
    {
        using var health = Aggregator(out var time, External("a"), External("b"));
        const string web = "web.svc.example.";
        health.Configure([.. Enumerable.Range(1, 6).Select(i => new TargetCheck(i % 2 == 0 ? Api : web, $"t{i}") { Sources = ["a", "b"] })]);
        var now = time.GetUtcNow();
        health.Record("a", Api, "t2", ObservationState.Down, null, now);
        health.Record("b", Api, "t2", ObservationState.Down, null, now);
        health.Record("a", web, "t1", ObservationState.Up, null, now);
        health.Record("b", web, "t1", ObservationState.Up, null, now);
        health.Record("a", web, "t3", ObservationState.Unexpected, null, now);
        time.Advance(TimeSpan.FromSeconds(10));
        health.Record("a", web, "t5", ObservationState.Up, null, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(6)); // the first reports go stale
        health.ConfigureEndpoints([Api], [new TargetCheck(Api, "t2") { Sources = ["a", "b"] }, new TargetCheck(Api, "t8") { Sources = ["a"] }]);

        var expected = health.GetTargetStatuses()
            .SelectMany(t => t.Sources.Select(s => (s.Source, State: s.Opinion.ToString().ToLowerInvariant())).Append((Source: "aggregate", State: t.Health.State.ToString().ToLowerInvariant())))
            .GroupBy(x => x)
            .Select(g => (g.Key.Source, g.Key.State, g.Count()))
            .Order();

        health.CountTargets().Order().ShouldBe(expected);
        health.CountTargets().Where(c => c.Source == "aggregate").Sum(c => c.Targets).ShouldBe(5);
    }

    [Fact]
    public void ConfigureEndpoints_CheckOfAnotherEndpoint_IsRefusedAndNothingChanges()
    {
        using var health = Aggregator(out _, External("a"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);

        var error = Should.Throw<ArgumentException>(() => health.ConfigureEndpoints(["web.svc.example."], [new TargetCheck(Api, "t9") { Sources = ["a"] }]));

        error.Message.ShouldContain("not among the endpoints being configured");
        health.Checks.ShouldHaveSingleItem().TargetId.ShouldBe("t1");
    }

    [Fact]
    public void Timer_WithoutNewObservations_ReevaluatesOnTheInjectedClock()
    {
        using var health = Aggregator(out var time, External("a"));
        health.Configure([new TargetCheck(Api, "t1") { Sources = ["a"] }]);
        health.Record("a", Api, "t1", ObservationState.Up, null, time.GetUtcNow());
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Up);

        time.Advance(TimeSpan.FromSeconds(15));
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Up);
        time.Advance(TimeSpan.FromSeconds(1));
        health.GetView().Find(Api, "t1")!.State.ShouldBe(HealthState.Unknown);
        health.GetTargetStatus(Api, "t1")!.Reason.ShouldBe("no quorum of 1 of 1: 0 up, 0 down, 0 unexpected, 1 silent or stale");
    }

    internal static HealthSourceOptions External(string name, int rise = 1, int fall = 1) =>
        new() { Name = name, Kind = HealthSourceKind.External, Interval = TimeSpan.FromSeconds(5), Rise = rise, Fall = fall };

    internal static HealthSourceOptions Http(string name) => new() { Name = name, Kind = HealthSourceKind.Http };

    internal static HealthSourceOptions Tcp(string name) => new() { Name = name, Kind = HealthSourceKind.Tcp };

    private static HealthAggregator Aggregator(out TimerCountingTimeProvider time, params HealthSourceOptions[] sources)
    {
        time = new TimerCountingTimeProvider(TestTime.IncidentStart);
        return new HealthAggregator(sources, new HealthAggregationOptions { NewTargetGrace = TimeSpan.Zero }, time);
    }

    private sealed class RecordingObserver : IHealthObserver
    {
        public List<(HealthState From, HealthState To)> Changes { get; } = [];

        public int Observations { get; private set; }

        public void Observed(string source, string endpoint, string targetId, ObservationState state, string? reason) => Observations++;

        public void TargetHealthChanged(TargetStatus status, HealthState previous) => Changes.Add((previous, status.Health.State));

        public void ProberFailed(string source, string endpoint, string targetId, Exception exception)
        {
        }
    }
}
