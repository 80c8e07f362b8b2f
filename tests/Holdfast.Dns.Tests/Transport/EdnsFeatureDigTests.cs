using System.Net;
using System.Text.RegularExpressions;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Wire;
using Holdfast.Testing;

namespace Holdfast.Dns.Tests.Transport;

/// <summary>NSID (RFC 5001), DNS Cookies (RFC 7873/9018) and edns-tcp-keepalive (RFC 7828) against real dig and kdig.</summary>
public sealed partial class EdnsFeatureDigTests : IAsyncLifetime
{
    private static readonly byte[] s_secret = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private DnsServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        var features = new EdnsFeatures { Nsid = "ns-a.holdfast"u8.ToArray(), CookieSecret = s_secret, TcpKeepalive = TimeSpan.FromSeconds(25), Time = TimeProvider.System };
        _server = new DnsServer(new QueryEngine(TestZones.Standard(), features), new DnsServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1 }, TimeProvider.System);
        await _server.StartAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("dig")]
    [InlineData("kdig")]
    public async Task Client_Nsid_GetsTheServerIdentifier(string client)
    {
        var output = await RunAsync(client, "+nsid api.svc.example. A");
        output.ShouldContain("status: NOERROR");
        output.ShouldContain("ns-a.holdfast");
    }

    [Fact]
    public async Task Dig_Cookie_GetsItsClientCookieBackWithAServerCookie()
    {
        var output = await RunAsync("dig", "+cookie=0011223344556677 api.svc.example. A");
        output.ShouldContain("status: NOERROR");
        // dig prints the cookie it got back and checks that the client half is its own ("good" when it matches).
        CookieLine().Match(output).Groups[1].Value.ShouldStartWith("0011223344556677");
        CookieLine().Match(output).Groups[1].Value.Length.ShouldBe(2 * 24);
        output.ShouldContain("(good)");
    }

    [Fact]
    public async Task Kdig_Cookie_IsAnsweredWithoutBadCookie()
    {
        var output = await RunAsync("kdig", "+cookie api.svc.example. A");
        output.ShouldContain("status: NOERROR");
        output.ShouldNotContain("BADCOOKIE");
        output.ShouldMatch(@"COOKIE: [0-9A-F]{16}01000000[0-9A-F]{24}");
    }

    [Fact]
    public async Task Dig_KeepaliveOverTcp_GetsTheIdleTimeout()
    {
        var output = await RunAsync("dig", "+tcp +keepalive api.svc.example. A");
        output.ShouldContain("status: NOERROR");
        output.ShouldContain("KEEPALIVE: 25.0 secs");
    }

    [Fact]
    public async Task Dig_KeepaliveOverUdp_GetsNone()
    {
        var output = await RunAsync("dig", "+notcp +keepalive api.svc.example. A");
        output.ShouldContain("status: NOERROR");
        output.ShouldNotContain("KEEPALIVE:");
    }

    [Fact]
    public void SipHash24_ReferenceVectors_Match()
    {
        // The reference implementation's vectors (key 00..0f, message 00..n-1) for n = 0 and n = 15.
        var key = s_secret;
        SipHash.Hash24(key, []).ShouldBe(0x726fdb47dd0e0e31UL);
        var message = new byte[15];
        for (var i = 0; i < message.Length; i++)
        {
            message[i] = (byte)i;
        }

        SipHash.Hash24(key, message).ShouldBe(0xa129ca6149be45e5UL);
    }

    private Task<string> RunAsync(string client, string arguments) =>
        client == "dig" ? ExternalTool.DigAsync(_server.UdpEndPoint.Port, arguments) : KdigAsync(arguments);

    private async Task<string> KdigAsync(string arguments)
    {
        var (exit, output) = await ExternalTool.RunAsync("kdig", $"@127.0.0.1 -p {_server.UdpEndPoint.Port} +time=2 +retry=0 {arguments}");
        exit.ShouldBe(0, output);
        return output;
    }

    [GeneratedRegex(@"COOKIE: ([0-9a-fA-F]+)")]
    private static partial Regex CookieLine();
}
