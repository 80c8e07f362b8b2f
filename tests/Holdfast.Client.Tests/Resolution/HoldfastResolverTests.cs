using System.Net;
using System.Net.Sockets;
using Holdfast.Client.Resolution;
using Holdfast.Testing;

namespace Holdfast.Client.Tests.Resolution;

/// <summary>The resolver against a real Holdfast DNS server on loopback, on a virtual clock.</summary>
public sealed class HoldfastResolverTests
{
    private const string Api = "api.svc.example.";

    private static string[] Text(NameResolution resolution) => [.. resolution.Addresses.Select(a => a.ToString()).Order()];

    [Fact]
    public async Task Resolve_SecondCallWithinTtl_IsAnsweredFromTheCacheWithoutAQuery()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 30, "127.0.0.11", "127.0.0.12");
        await using var harness = new ResolverHarness(ResolverHarness.OptionsFor(null, dns.EndPoint));

        var first = await harness.ResolveAsync(Api);
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        var second = await harness.ResolveAsync("API.svc.example");

        first.Source.ShouldBe(ResolutionSource.Fresh);
        Text(first).ShouldBe(["127.0.0.11", "127.0.0.12"]);
        second.Source.ShouldBe(ResolutionSource.Cache);
        second.Ttl.ShouldBe(TimeSpan.FromSeconds(20));
        harness.Metrics.HitRatio().ShouldBe(0.5, "one miss, then one hit without a query");
    }

    [Fact]
    public async Task Resolve_DnsStoppedPastTheTtl_ServesStaleAndResumesFreshAnswersWhenItReturns()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 5, "127.0.0.11");
        await using var harness = new ResolverHarness(ResolverHarness.OptionsFor(null, dns.EndPoint));
        (await harness.ResolveAsync(Api)).Source.ShouldBe(ResolutionSource.Fresh);

        await dns.StopAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        var stale = await harness.ResolveAsync(Api);
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        var stillStale = await harness.ResolveAsync(Api);

        stale.Source.ShouldBe(ResolutionSource.Stale);
        stale.Ttl.ShouldBe(TimeSpan.FromSeconds(30), "RFC 8767 §4: stale answers carry a 30 s TTL");
        Text(stale).ShouldBe(["127.0.0.11"]);
        stillStale.Source.ShouldBe(ResolutionSource.Stale, "within the failure recheck the upstream is not asked");
        ResolverHarness.Sum(harness.Stale).ShouldBe(2);
        ResolverHarness.Sum(harness.UpstreamFailures).ShouldBeGreaterThanOrEqualTo(1);

        dns.Publish("api", 5, "127.0.0.12");
        await dns.RestartAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(31));
        var duringRefresh = await harness.ResolveAsync(Api);
        await harness.Resolver.WhenRefreshedAsync();
        var fresh = await harness.ResolveAsync(Api);

        duringRefresh.Source.ShouldBe(ResolutionSource.Stale, "a failing name answers stale at once and refreshes behind");
        fresh.Source.ShouldBe(ResolutionSource.Cache);
        Text(fresh).ShouldBe(["127.0.0.12"]);
    }

    [Fact]
    public async Task Resolve_PastMaxStale_FailsInsteadOfServingAncientData()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 5, "127.0.0.11");
        var options = ResolverHarness.OptionsFor(null, dns.EndPoint);
        options.MaxStale = TimeSpan.FromMinutes(1);
        await using var harness = new ResolverHarness(options);
        await harness.ResolveAsync(Api);
        await dns.StopAsync();

        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        var resolution = await harness.ResolveAsync(Api);

        resolution.Source.ShouldBe(ResolutionSource.Failed);
        resolution.HasAddresses.ShouldBeFalse();
    }

    [Fact]
    public async Task Resolve_FirstUpstreamRefuses_FailsOverToTheNext()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 30, "127.0.0.11");
        await using var harness = new ResolverHarness(ResolverHarness.OptionsFor(null, ClosedPort(), dns.EndPoint));

        var resolution = await harness.ResolveAsync(Api);

        resolution.Source.ShouldBe(ResolutionSource.Fresh);
        Text(resolution).ShouldBe(["127.0.0.11"]);
        ResolverHarness.Sum(harness.UpstreamFailures).ShouldBe(1);
    }

    [Fact]
    public async Task Resolve_FirstUpstreamSilent_TimesOutAndFailsOverToTheNext()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 30, "127.0.0.11");

        // A bound socket that never answers: the query's only way out is its timeout (on the real clock here).
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = ResolverHarness.OptionsFor(null, (IPEndPoint)silent.LocalEndPoint!, dns.EndPoint);
        options.QueryTimeout = TimeSpan.FromMilliseconds(200);
        await using var harness = new ResolverHarness(options, TimeProvider.System);

        var resolution = await harness.ResolveAsync(Api);

        resolution.Source.ShouldBe(ResolutionSource.Fresh);
        harness.UpstreamFailures.GetMeasurementSnapshot().ShouldContain(m => m.Tags["reason"] as string == "timeout");

        // The silent upstream is now cooling down: the next name is asked of the healthy one first, with no wait.
        dns.Publish("web", 30, "127.0.0.21");
        (await harness.ResolveAsync("web.svc.example.")).Source.ShouldBe(ResolutionSource.Fresh);
        ResolverHarness.Sum(harness.UpstreamFailures).ShouldBe(1);
    }

    [Fact]
    public async Task Resolve_AnswerTooLargeForUdp_FallsBackToTcp()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        var many = Enumerable.Range(1, 100).Select(i => $"127.0.1.{i}").ToArray();
        dns.Publish("big", 30, many);
        var options = ResolverHarness.OptionsFor(null, dns.EndPoint);
        options.EdnsUdpPayload = null;
        await using var harness = new ResolverHarness(options);

        var resolution = await harness.ResolveAsync("big.svc.example.");

        resolution.Addresses.Length.ShouldBe(100, "100 A records need 1,600 octets; only TCP carries them without EDNS");
        ResolverHarness.Sum(harness.TcpFallbacks).ShouldBe(1);
    }

    [Fact]
    public async Task Resolve_NameThatHadAddressesAnswersNxdomain_HoldsTheLastGoodAddressesAndReportsIt()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 5, "127.0.0.11", "127.0.0.12");
        var options = ResolverHarness.OptionsFor(null, dns.EndPoint);
        options.SuspectHold = TimeSpan.FromMinutes(2);
        await using var harness = new ResolverHarness(options);
        var reported = new List<SuspectAnswer>();
        harness.Resolver.SuspectAnswerHeld += reported.Add;
        await harness.ResolveAsync(Api);

        dns.Remove("api");
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        var held = await harness.ResolveAsync(Api);

        held.Source.ShouldBe(ResolutionSource.SuspectHeld);
        Text(held).ShouldBe(["127.0.0.11", "127.0.0.12"]);
        reported.ShouldHaveSingleItem().Answer.ShouldBe(ResolutionSource.NameError);
        harness.Resolver.SuspectAnswers.ShouldHaveSingleItem().Name.ShouldBe(Api);
        ResolverHarness.Sum(harness.Suspect).ShouldBe(1);

        // Held through rechecks until the bound, then the answer is believed.
        harness.Clock.Advance(TimeSpan.FromSeconds(31));
        (await harness.ResolveAsync(Api)).Source.ShouldBe(ResolutionSource.SuspectHeld);
        harness.Clock.Advance(TimeSpan.FromSeconds(100));
        var believed = await harness.ResolveAsync(Api);
        believed.Source.ShouldBe(ResolutionSource.NameError);
        harness.Resolver.SuspectAnswers.ShouldBeEmpty();
    }

    [Fact]
    public async Task Resolve_NameEmptiedAndRestored_HoldsThenClearsTheSuspicion()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 5, "127.0.0.11");
        await using var harness = new ResolverHarness(ResolverHarness.OptionsFor(null, dns.EndPoint));
        await harness.ResolveAsync(Api);

        dns.Publish("api", 5);
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        var held = await harness.ResolveAsync(Api);
        dns.Publish("api", 5, "127.0.0.13");
        harness.Clock.Advance(TimeSpan.FromSeconds(31));
        var restored = await harness.ResolveAsync(Api);

        held.Source.ShouldBe(ResolutionSource.SuspectHeld);
        harness.Resolver.SuspectAnswers.ShouldBeEmpty();
        restored.Source.ShouldBe(ResolutionSource.Fresh);
        Text(restored).ShouldBe(["127.0.0.13"]);
    }

    [Fact]
    public async Task Resolve_SuspectHoldOffForTheName_TakesNxdomainAtOnceAndCachesItForTheSoaMinimum()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 5, "127.0.0.11");
        var options = ResolverHarness.OptionsFor(null, dns.EndPoint);
        options.SuspectHoldByName["API.svc.example"] = TimeSpan.Zero;
        await using var harness = new ResolverHarness(options);
        await harness.ResolveAsync(Api);

        dns.Remove("api");
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        var negative = await harness.ResolveAsync(Api);
        var cached = await harness.ResolveAsync(Api);

        negative.Source.ShouldBe(ResolutionSource.NameError);
        negative.Ttl.ShouldBe(TimeSpan.FromSeconds(2), "RFC 2308 §5: min(SOA TTL 60, MINIMUM 2)");
        cached.Source.ShouldBe(ResolutionSource.NameError);
        harness.Metrics.HitRatio().ShouldBe(1.0 / 3, "miss, miss on expiry, then the cached NXDOMAIN");
    }

    [Fact]
    public async Task Resolve_RestartedWhileDnsIsDown_UsesTheLastKnownGoodFile()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "lkg.json");
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 30, "127.0.0.11", "127.0.0.12");
        var upstream = dns.EndPoint;
        await using (var before = new ResolverHarness(ResolverHarness.OptionsFor(path, upstream)))
        {
            await before.ResolveAsync(Api);
            await before.Resolver.FlushLastKnownGoodAsync();
        }

        await dns.StopAsync();
        await using var after = new ResolverHarness(ResolverHarness.OptionsFor(path, upstream));
        var resolution = await after.ResolveAsync(Api);

        resolution.Source.ShouldBe(ResolutionSource.LastKnownGood);
        Text(resolution).ShouldBe(["127.0.0.11", "127.0.0.12"]);
        ResolverHarness.Sum(after.Stale).ShouldBe(1);
    }

    [Fact]
    public async Task Resolve_CorruptLastKnownGoodFile_StartsWithoutIt()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "lkg.json");
        await File.WriteAllTextAsync(path, "{ not json", TestContext.Current.CancellationToken);
        await using var harness = new ResolverHarness(ResolverHarness.OptionsFor(path, ClosedPort()));

        (await harness.ResolveAsync(Api)).Source.ShouldBe(ResolutionSource.Failed);
    }

    [Fact]
    public async Task Resolve_PopularNameNearExpiry_IsPrefetchedBeforeItExpires()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 10, "127.0.0.11");
        await using var harness = new ResolverHarness(ResolverHarness.OptionsFor(null, dns.EndPoint));
        await harness.ResolveAsync(Api);
        await harness.ResolveAsync(Api);

        harness.Clock.Advance(TimeSpan.FromSeconds(9.5));
        dns.Publish("api", 10, "127.0.0.12");
        (await harness.ResolveAsync(Api)).Source.ShouldBe(ResolutionSource.Cache);
        await harness.Resolver.WhenRefreshedAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await harness.ResolveAsync(Api);

        ResolverHarness.Sum(harness.Prefetches).ShouldBe(1);
        after.Source.ShouldBe(ResolutionSource.Cache, "the prefetch renewed the entry, so expiry was never a miss");
        Text(after).ShouldBe(["127.0.0.12"]);
    }

    [Fact]
    public async Task Resolve_PrefetchFailsWhileDnsIsDown_KeepsTheFreshEntryUntilItExpiresThenServesStale()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 10, "127.0.0.11");
        await using var harness = new ResolverHarness(ResolverHarness.OptionsFor(null, dns.EndPoint));
        await harness.ResolveAsync(Api);
        await harness.ResolveAsync(Api);
        await dns.StopAsync();

        harness.Clock.Advance(TimeSpan.FromSeconds(9.5));
        await harness.ResolveAsync(Api);
        await harness.Resolver.WhenRefreshedAsync();
        var beforeExpiry = await harness.ResolveAsync(Api);
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var afterExpiry = await harness.ResolveAsync(Api);

        ResolverHarness.Sum(harness.Prefetches).ShouldBeGreaterThanOrEqualTo(1);
        beforeExpiry.Source.ShouldBe(ResolutionSource.Cache);
        beforeExpiry.Ttl.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(0.5), "a failed prefetch does not stretch or replace the entry");
        afterExpiry.Source.ShouldBe(ResolutionSource.Stale);
    }

    [Fact]
    public void Constructor_NoUpstream_NamesTheOption()
    {
        var options = new HoldfastResolverOptions { LastKnownGoodPath = null };
        Should.Throw<ArgumentException>(() => new HoldfastResolver(options, TimeProvider.System, new SeededRandom(1)))
            .Message.ShouldContain(nameof(HoldfastResolverOptions.Upstreams));
    }

    [Fact]
    public void Validate_NegativeStaleTtl_NamesTheOption()
    {
        var options = ResolverHarness.OptionsFor(null, new IPEndPoint(IPAddress.Loopback, 53));
        options.StaleAnswerTtl = TimeSpan.FromSeconds(-1);
        Should.Throw<ArgumentException>(options.Validate).Message.ShouldContain(nameof(HoldfastResolverOptions.StaleAnswerTtl));
    }

    /// <summary>A UDP port nobody listens on (bound, then closed): queries to it are refused by ICMP.</summary>
    internal static IPEndPoint ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
