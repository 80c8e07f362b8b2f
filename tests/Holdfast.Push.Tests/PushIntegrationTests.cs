using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Transfer;
using Holdfast.Testing;
using Holdfast.Testing.Servers;

namespace Holdfast.Push.Tests;

/// <summary>
/// The push enactor against real BIND 9, Knot and PowerDNS (gsqlite3) from Debian, each started on a free loopback port
/// with an HMAC-SHA256 TSIG key; every check of the server's data is made with dig against the server itself.
/// </summary>
public sealed class PushIntegrationTests
{
    private const string KeyName = "push-key.";
    private const string Marker = "_holdfast-generation.api.svc.example.";
    private static readonly string s_secret = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)(0x33 ^ i))]);

    public static TheoryData<ServerKind> Servers() => [ServerKind.Bind, ServerKind.Knot, ServerKind.PowerDns];

    private static PushOptions Fast => new()
    {
        Timeout = TimeSpan.FromSeconds(1),
        RetryInitial = TimeSpan.FromMilliseconds(200),
        RetryMax = TimeSpan.FromSeconds(1),
        FullPassInterval = TimeSpan.FromSeconds(1),
        FeedWait = TimeSpan.FromSeconds(1),
    };

    private static PushTarget Target(AuthoritativeServer server, string name = "ext") =>
        new(name, AuthoritativeServer.Zone, new IPEndPoint(IPAddress.Loopback, server.Port), new TsigKey(KeyName, Convert.FromBase64String(s_secret)));

    private static PushTargetWorker Worker(PushStore store, PushTarget target, int seed, IDnsExchange? exchange = null, IPushObserver? observer = null, PushOptions? options = null) =>
        new(target, store.Store, options ?? Fast, TimeProvider.System, new Random(seed), exchange, observer);

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Push_AppliedPlans_ReachTheServerAsOneRrsetWithTheMarker(ServerKind kind)
    {
        await using var server = await AuthoritativeServer.StartAsync(kind, KeyName, s_secret);
        var store = await PushStore.CreateAsync();
        var observer = new RecordingPushObserver();
        var worker = Worker(store, Target(server), 1, observer: observer);

        var g1 = await store.ApplyAsync(PushStore.Endpoint, "t1", "t2");
        var first = await worker.RunFullPassAsync();
        first.Failure.ShouldBeNull(server.Log);
        first.Steps.Single().ShouldSatisfyAllConditions(s => s.Action.ShouldBe(PushAction.Push), s => s.Landed.ShouldBeTrue());
        (await server.DigAsync(PushStore.Endpoint, "A")).ShouldBe(["api.svc.example. 60 IN A 127.0.0.1", "api.svc.example. 60 IN A 127.0.0.2"], ignoreOrder: true);
        (await server.DigAsync(Marker, "TXT")).ShouldBe([$"{Marker} 60 IN TXT \"{g1.Value}\""]);

        // The next generation replaces the whole RRset: t1 and t2 go, t3 comes, in one UPDATE.
        var g2 = await store.ApplyAsync(PushStore.Endpoint, "t3");
        (await worker.PushAsync([PushStore.Endpoint])).Steps.Single().Landed.ShouldBeTrue();
        (await server.DigAsync(PushStore.Endpoint, "A")).ShouldBe(["api.svc.example. 60 IN A 127.0.0.3"]);
        (await server.DigAsync(Marker, "TXT")).ShouldBe([$"{Marker} 60 IN TXT \"{g2.Value}\""]);

        // Level-triggered: a pass with nothing new sends nothing.
        (await worker.RunFullPassAsync()).Steps.Single().Action.ShouldBe(PushAction.InSync);
        observer.Events.ShouldBe([$"pushed {PushStore.Endpoint} none→{g1}", $"pushed {PushStore.Endpoint} {g1}→{g2}"]);
        worker.Status.ShouldSatisfyAllConditions(s => s.State.ShouldBe("ok"), s => s.Pushed.ShouldBe(2), s => s.Failures.ShouldBe(0));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task RacingPushers_PausedOlderPusherNeverLandsItsGeneration(ServerKind kind)
    {
        await using var server = await AuthoritativeServer.StartAsync(kind, KeyName, s_secret);
        var store = await PushStore.CreateAsync();
        var g1 = await store.ApplyAsync(PushStore.Endpoint, "t1");

        // Pusher A reads the server (no marker), builds its UPDATE for g1, and is paused before it is sent. The gate sits
        // inside A's exchange, so A's per-exchange timeout runs while it is held: A gets one far longer than the pause,
        // so that the pause and not a timeout decides (on a loaded machine, B's pass alone can take more than Fast's 1 s).
        var gate = new GatedExchange();
        var observerA = new RecordingPushObserver();
        var pusherA = Worker(store, Target(server, "node-a"), 2, gate, observerA, Fast with { Timeout = TimeSpan.FromSeconds(60) });
        var slow = pusherA.RunFullPassAsync();
        await gate.ReachedGate.WaitAsync(TimeSpan.FromSeconds(20));

        // Meanwhile the store moves on to g2 and pusher B pushes it.
        var g2 = await store.ApplyAsync(PushStore.Endpoint, "t2", "t3");
        var pusherB = Worker(store, Target(server, "node-b"), 3);
        (await pusherB.RunFullPassAsync()).Steps.Single().Landed.ShouldBeTrue();

        // A wakes up and sends its g1 UPDATE: the prerequisite fails on the server, A reads back and sees g2.
        gate.Open();
        var passA = await slow;
        passA.Failure.ShouldBeNull();
        var stepA = passA.Steps.Single();
        stepA.Conflicts.ShouldBe(1);
        stepA.Action.ShouldBe(PushAction.ServerAhead);
        stepA.Landed.ShouldBeFalse();
        observerA.Count("conflict").ShouldBe(1);
        (await server.DigAsync(Marker, "TXT")).ShouldBe([$"{Marker} 60 IN TXT \"{g2.Value}\""]);
        (await server.DigAsync(PushStore.Endpoint, "A")).ShouldBe(["api.svc.example. 60 IN A 127.0.0.2", "api.svc.example. 60 IN A 127.0.0.3"], ignoreOrder: true);

        // The fence is what held: the same UPDATE without its prerequisite (what an unfenced pusher sends) lands g1 over g2.
        var unfenced = gate.Held!.ShouldNotBeNull() with { Prerequisites = [] };
        var client = new PushClient(Target(server), DnsExchange.Instance, Fast, TimeProvider.System, new Random(4));
        (await client.UpdateAsync(unfenced, CancellationToken.None)).ShouldBe(0);
        (await server.DigAsync(Marker, "TXT")).ShouldBe([$"{Marker} 60 IN TXT \"{g1.Value}\""], "without the fence the older generation overwrites the newer: the October race");
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task ServerKilledAndRestarted_IsReportedFailingThenCatchesUp(ServerKind kind)
    {
        await using var server = await AuthoritativeServer.StartAsync(kind, KeyName, s_secret);
        var store = await PushStore.CreateAsync();
        var observer = new RecordingPushObserver();
        var worker = Worker(store, Target(server), 5, observer: observer);
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        try
        {
            var g1 = await store.ApplyAsync(PushStore.Endpoint, "t1");
            (await ExternalTool.WaitUntilAsync(async () => (await server.DigAsync(Marker, "TXT")).Length == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue();

            server.Kill();
            var g2 = await store.ApplyAsync(PushStore.Endpoint, "t2");
            (await ExternalTool.WaitUntilAsync(() => Task.FromResult(worker.Status.State == "failing"), TimeSpan.FromSeconds(20))).ShouldBeTrue();
            worker.Status.LastError.ShouldNotBeNull();
            worker.Status.NextRetryAt.ShouldNotBeNull();
            observer.Count("failed").ShouldBeGreaterThan(0);

            await server.RestartAsync();
            (await ExternalTool.WaitUntilAsync(async () => (await server.DigAsync(Marker, "TXT")).SequenceEqual([$"{Marker} 60 IN TXT \"{g2.Value}\""]), TimeSpan.FromSeconds(30))).ShouldBeTrue(string.Join('\n', observer.Events));
            (await server.DigAsync(PushStore.Endpoint, "A")).ShouldBe(["api.svc.example. 60 IN A 127.0.0.2"]);
            (await ExternalTool.WaitUntilAsync(() => Task.FromResult(worker.Status.State == "ok"), TimeSpan.FromSeconds(20))).ShouldBeTrue();
            observer.Count("recovered").ShouldBeGreaterThan(0);
            observer.Events.ShouldContain($"pushed {PushStore.Endpoint} {g1}→{g2}");
        }
        finally
        {
            await stop.CancelAsync();
            await running.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task RecordEditedByHandOnTheServer_IsRepairedAndReportedAsDrift(ServerKind kind)
    {
        await using var server = await AuthoritativeServer.StartAsync(kind, KeyName, s_secret);
        var store = await PushStore.CreateAsync();
        var observer = new RecordingPushObserver();
        var worker = Worker(store, Target(server), 6, observer: observer);
        var g1 = await store.ApplyAsync(PushStore.Endpoint, "t1", "t2");
        (await worker.RunFullPassAsync()).Failure.ShouldBeNull();

        // An operator changes the RRset behind Holdfast's back (the marker stays).
        var (exit, output) = await server.NsupdateAsync($"update delete {PushStore.Endpoint} A\nupdate add {PushStore.Endpoint} 300 A 192.0.2.66\nupdate add {PushStore.Endpoint} 300 AAAA 2001:db8::66");
        exit.ShouldBe(0, output);
        (await server.DigAsync(PushStore.Endpoint, "A")).ShouldBe(["api.svc.example. 300 IN A 192.0.2.66"]);

        var pass = await worker.RunFullPassAsync();
        pass.Steps.Single().ShouldSatisfyAllConditions(s => s.Action.ShouldBe(PushAction.Repair), s => s.Landed.ShouldBeTrue());
        (await server.DigAsync(PushStore.Endpoint, "A")).ShouldBe(["api.svc.example. 60 IN A 127.0.0.1", "api.svc.example. 60 IN A 127.0.0.2"], ignoreOrder: true);
        (await server.DigAsync(PushStore.Endpoint, "AAAA")).ShouldBeEmpty();
        (await server.DigAsync(Marker, "TXT")).ShouldBe([$"{Marker} 60 IN TXT \"{g1.Value}\""]);
        observer.Count("drift").ShouldBe(1);
        observer.Events.Single(e => e.StartsWith("drift", StringComparison.Ordinal)).ShouldContain("192.0.2.66 ttl 300");
        worker.Status.DriftRepaired.ShouldBe(1);
    }

    [Fact]
    public async Task DeadTarget_DoesNotDelayAnotherTarget_AndIsRetriedWithBackoff()
    {
        await using var server = await AuthoritativeServer.StartAsync(ServerKind.Bind, KeyName, s_secret);

        // A black hole: a bound UDP socket that never answers, and no TCP listener.
        using var blackHole = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        blackHole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var dead = new PushTarget("dead", AuthoritativeServer.Zone, (IPEndPoint)blackHole.LocalEndPoint!, new TsigKey(KeyName, Convert.FromBase64String(s_secret)));

        var store = await PushStore.CreateAsync("api", "web", "db");
        var deadObserver = new RecordingPushObserver();
        var slowOptions = Fast with { Timeout = TimeSpan.FromSeconds(2) };
        var deadWorker = Worker(store, dead, 7, observer: deadObserver, options: slowOptions);
        var liveWorker = Worker(store, Target(server, "live"), 8, options: slowOptions);
        using var stop = new CancellationTokenSource();
        var runs = new[] { deadWorker.RunAsync(stop.Token), liveWorker.RunAsync(stop.Token) };
        try
        {
            foreach (var name in new[] { "api", "web", "db" })
            {
                await store.ApplyAsync($"{name}.svc.example.", "t1");
            }

            // Three endpoints on a server that never answers would take three timeouts in a row if it blocked; the live
            // target has them all within the first timeout.
            var started = DateTimeOffset.UtcNow;
            (await ExternalTool.WaitUntilAsync(async () => (await server.DigAsync("db.svc.example.", "A")).Length == 1 && (await server.DigAsync("api.svc.example.", "A")).Length == 1, TimeSpan.FromSeconds(20))).ShouldBeTrue();
            (DateTimeOffset.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(6), "the live target is not behind the dead one");

            (await ExternalTool.WaitUntilAsync(() => Task.FromResult(deadWorker.Status.ConsecutiveFailures >= 2), TimeSpan.FromSeconds(30))).ShouldBeTrue();
            deadWorker.Status.ShouldSatisfyAllConditions(s => s.State.ShouldBe("failing"), s => s.Pushed.ShouldBe(0), s => s.LastError!.ShouldContain("did not answer"));
            liveWorker.Status.State.ShouldBe("ok");
            deadObserver.Events.ShouldAllBe(e => e.StartsWith("failed dead", StringComparison.Ordinal));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }
}
