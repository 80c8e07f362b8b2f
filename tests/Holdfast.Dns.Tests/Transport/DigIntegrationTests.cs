using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Testing;

namespace Holdfast.Dns.Tests.Transport;

/// <summary>
/// Real clients from Debian (<c>dig</c> from bind9-dnsutils, <c>kdig</c> from knot-dnsutils) against a
/// Holdfast server on 127.0.0.1 with a free port, over UDP and TCP, with and without EDNS.
/// </summary>
public sealed class DigIntegrationTests : IAsyncLifetime
{
    private DnsServer _server = null!;
    private readonly QueryEngine _engine = new(TestZones.Standard());

    public async ValueTask InitializeAsync()
    {
        _server = new DnsServer(_engine, new DnsServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 2 }, TimeProvider.System);
        await _server.StartAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string> Transports() => new()
    {
        { "dig", "+notcp +edns=0" },
        { "dig", "+notcp +noedns" },
        { "dig", "+tcp +edns=0" },
        { "dig", "+tcp +noedns" },
        { "kdig", "+notcp +edns=0" },
        { "kdig", "+notcp +noedns" },
        { "kdig", "+tcp +edns=0" },
        { "kdig", "+tcp +noedns" },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Client_EndpointQuery_GetsEveryAddressAuthoritatively(string client, string options)
    {
        var output = await RunAsync(client, $"{options} api.svc.example. A");
        output.ShouldContain("status: NOERROR");
        output.ShouldContain(" aa");
        foreach (var address in new[] { "127.0.0.1", "127.0.0.2", "127.0.0.3" })
        {
            output.ShouldMatch($@"api\.svc\.example\.\s+60\s+IN\s+A\s+{Regex(address)}");
        }
    }

    [Theory]
    [InlineData("dig")]
    [InlineData("kdig")]
    public async Task Client_MissingName_GetsNxDomainWithSoa(string client)
    {
        var output = await RunAsync(client, "+notcp nope.svc.example. A");
        output.ShouldContain("status: NXDOMAIN");
        output.ShouldMatch(@"svc\.example\.\s+60\s+IN\s+SOA\s+ns1\.svc\.example\. hostmaster\.svc\.example\. 42");
    }

    [Fact]
    public async Task Dig_NameOutsideZones_IsRefused()
    {
        (await RunAsync("dig", "+notcp example.org. A")).ShouldContain("status: REFUSED");
    }

    [Fact]
    public async Task Dig_CnameChain_FollowsInsideTheZone()
    {
        var output = await RunAsync("dig", "+notcp www.svc.example. A");
        output.ShouldMatch(@"www\.svc\.example\.\s+300\s+IN\s+CNAME\s+api\.svc\.example\.");
        output.ShouldMatch(@"api\.svc\.example\.\s+60\s+IN\s+A\s+127\.0\.0\.1");
    }

    [Fact]
    public async Task Server_ZoneUpdate_IsServedToTheNextQuery()
    {
        _engine.Update(TestZones.Standard(serial: 43));
        (await RunAsync("kdig", "+tcp svc.example. SOA")).ShouldContain("hostmaster.svc.example. 43");
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private async Task<string> RunAsync(string client, string arguments)
    {
        var endpoint = _server.UdpEndPoint;
        // dig counts tries, kdig counts retries; both get one attempt of at most 2 seconds.
        var attempts = client == "dig" ? "+time=2 +tries=1" : "+timeout=2 +retry=0";
        var (exit, output) = await ExternalTool.RunAsync(client, $"@{endpoint.Address} -p {endpoint.Port} {attempts} {arguments}");
        exit.ShouldBe(0, $"{client} {arguments}\n{output}");
        return output;
    }
}
