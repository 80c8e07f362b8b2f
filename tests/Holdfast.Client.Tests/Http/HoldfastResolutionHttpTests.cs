using System.Net;
using Holdfast.Client.Http;
using Holdfast.Client.Resolution;
using Holdfast.Client.Telemetry;
using Holdfast.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Client.Tests.Http;

/// <summary>
/// A real HttpClient from IHttpClientFactory, resolving through a real Holdfast DNS server and connecting to a real
/// Kestrel on 127.0.0.11-13. The resolver's clock is virtual (so "longer than the TTL" takes no wall time); sockets
/// and Kestrel are real.
/// </summary>
public sealed class HoldfastResolutionHttpTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static ServiceProvider Services(FakeTimeProvider clock, HoldfastDnsFixture dns, string? lastKnownGood = null) =>
        new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddHoldfastResolver(o =>
            {
                o.Upstreams.Add(dns.EndPoint);
                o.Families = AddressFamilies.IPv4;
                o.LastKnownGoodPath = lastKnownGood;
            })
            .AddHttpClient("orders").AddHoldfastResolution(o => o.AddressCooldown = TimeSpan.FromMinutes(1))
            .Services.BuildServiceProvider();

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(ServiceProvider services, int port)
    {
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("orders");

        // A new connection per request, so that every request goes through resolution and connect.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://api.svc.example:{port}/");
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_ResolvedName_ReachesEveryBackendAddress()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        await using var backends = await KestrelBackends.StartAsync("127.0.0.11", "127.0.0.12", "127.0.0.13");
        dns.Publish("api", 30, "127.0.0.11");
        await using var services = Services(new FakeTimeProvider(Start), dns);

        var (status, body) = await GetAsync(services, backends.Port);

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldBe("127.0.0.11");
    }

    [Fact]
    public async Task Get_OneOfThreeAddressesRefuses_EveryRequestSucceedsAndTheAddressIsSkipped()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        await using var backends = await KestrelBackends.StartAsync("127.0.0.11", "127.0.0.12");
        dns.Publish("api", 30, "127.0.0.13", "127.0.0.11", "127.0.0.12");
        await using var services = Services(new FakeTimeProvider(Start), dns);
        var metrics = services.GetRequiredService<ClientMetrics>();
        using var failures = new MetricCollector<long>(metrics.ConnectFailures);
        using var skipped = new MetricCollector<long>(metrics.AddressesSkipped);

        var bodies = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await GetAsync(services, backends.Port);
            status.ShouldBe(HttpStatusCode.OK);
            bodies.Add(body);
        }

        bodies.ShouldNotContain("127.0.0.13");
        // Connections rotate across the answer, so 127.0.0.13 comes first within three requests; it refuses once,
        // its circuit opens, and it is skipped from then on.
        failures.GetMeasurementSnapshot().Sum(m => m.Value).ShouldBe(1, "after the first refusal the address's circuit is open");
        skipped.GetMeasurementSnapshot().Sum(m => m.Value).ShouldBeGreaterThanOrEqualTo(17);
        services.GetRequiredService<AddressCircuit>().IsOpen(new IPEndPoint(IPAddress.Parse("127.0.0.13"), backends.Port)).ShouldBeTrue();
    }

    [Fact]
    public async Task Get_DnsStoppedLongerThanTheTtl_KeepsSucceedingOnStaleAndResumesFreshAnswers()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        await using var backends = await KestrelBackends.StartAsync("127.0.0.11", "127.0.0.12");
        dns.Publish("api", 5, "127.0.0.11");
        var clock = new FakeTimeProvider(Start);
        await using var services = Services(clock, dns);
        var resolver = services.GetRequiredService<HoldfastResolver>();
        using var stale = new MetricCollector<long>(services.GetRequiredService<ClientMetrics>().StaleAnswers);
        (await GetAsync(services, backends.Port)).Body.ShouldBe("127.0.0.11");

        await dns.StopAsync();
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(20));
            (await GetAsync(services, backends.Port)).ShouldBe((HttpStatusCode.OK, "127.0.0.11"));

            // A background refresh that failed stamps its stale entry with the clock it reads when it ends: let it
            // end before the clock moves again, or an entry stamped after the restart below hides the fresh answer.
            await resolver.WhenRefreshedAsync();
        }

        stale.GetMeasurementSnapshot().Sum(m => m.Value).ShouldBe(5);

        dns.Publish("api", 5, "127.0.0.12");
        await dns.RestartAsync();
        clock.Advance(TimeSpan.FromSeconds(31));
        await GetAsync(services, backends.Port);
        await resolver.WhenRefreshedAsync();
        (await GetAsync(services, backends.Port)).Body.ShouldBe("127.0.0.12", "fresh answers resume once DNS is back");
    }

    [Fact]
    public async Task Get_EndpointAnswersNxdomainOrEmpty_KeepsReachingTheLastGoodAddressesWithinTheBound()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        await using var backends = await KestrelBackends.StartAsync("127.0.0.11", "127.0.0.12");
        dns.Publish("api", 5, "127.0.0.11");
        var clock = new FakeTimeProvider(Start);
        await using var services = Services(clock, dns);
        var resolver = services.GetRequiredService<HoldfastResolver>();
        await GetAsync(services, backends.Port);

        dns.Remove("api");
        clock.Advance(TimeSpan.FromSeconds(6));
        (await GetAsync(services, backends.Port)).ShouldBe((HttpStatusCode.OK, "127.0.0.11"));
        resolver.SuspectAnswers.ShouldHaveSingleItem().Answer.ShouldBe(ResolutionSource.NameError);

        dns.Publish("api", 5);
        clock.Advance(TimeSpan.FromSeconds(31));
        (await GetAsync(services, backends.Port)).ShouldBe((HttpStatusCode.OK, "127.0.0.11"));

        // Past the 10-minute default bound the empty answer is believed: requests fail as DNS says.
        clock.Advance(TimeSpan.FromMinutes(10));
        await Should.ThrowAsync<HttpRequestException>(() => GetAsync(services, backends.Port));
        resolver.SuspectAnswers.ShouldBeEmpty();
    }

    [Fact]
    public async Task Get_ApplicationRestartedWithDnsDown_UsesTheDiskLastKnownGood()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "lkg.json");
        await using var dns = await HoldfastDnsFixture.StartAsync();
        await using var backends = await KestrelBackends.StartAsync("127.0.0.11", "127.0.0.12");
        dns.Publish("api", 30, "127.0.0.12");
        await using (var before = Services(new FakeTimeProvider(Start), dns, path))
        {
            (await GetAsync(before, backends.Port)).Body.ShouldBe("127.0.0.12");
            await before.GetRequiredService<HoldfastResolver>().FlushLastKnownGoodAsync();
        }

        await dns.StopAsync();
        await using var after = Services(new FakeTimeProvider(Start + TimeSpan.FromHours(1)), dns, path);

        (await GetAsync(after, backends.Port)).ShouldBe((HttpStatusCode.OK, "127.0.0.12"));
    }

    [Fact]
    public async Task Get_WithoutAddHoldfastResolver_SaysWhatIsMissing()
    {
        await using var services = new ServiceCollection().AddHttpClient("orders").AddHoldfastResolution().Services.BuildServiceProvider();
        Should.Throw<InvalidOperationException>(() => services.GetRequiredService<IHttpClientFactory>().CreateClient("orders"))
            .Message.ShouldContain("AddHoldfastResolver");
    }

    [Fact]
    public void Interleave_MixedFamilies_AlternatesStartingWithIPv6()
    {
        var ordered = HoldfastConnector.Interleave([IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), IPAddress.Parse("::1"), IPAddress.Parse("10.0.0.3")], 80);
        ordered.Select(e => e.Address.ToString()).ShouldBe(["::1", "10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    }
}
