using System.Text.RegularExpressions;
using Holdfast.Server.Tests.Metrics;

namespace Holdfast.Server.Tests.Hosting;

/// <summary>The host's rate limiter lets a client with a valid server cookie by, and /metrics counts it.</summary>
public sealed partial class HoldfastHostCookieTests
{
    [Fact]
    public async Task Metrics_QueriesWithAValidServerCookie_AreCountedAsCookieExempted()
    {
        using var data = new TempDirectory();
        var yaml = TestHost.Config(data.Path).Replace(
            "dns: { listen: [127.0.0.1:0] }",
            "dns: { listen: [127.0.0.1:0], cookieSecret: 000102030405060708090a0b0c0d0e0f, rateLimit: { exempt: [] } }",
            StringComparison.Ordinal);
        await using var host = await TestHost.StartAsync(yaml, data);
        var port = host.Host.DnsEndPoints[0].Port;

        var learned = CookieLine().Match(await ExternalTool.DigAsync(port, "+cookie=0011223344556677 svc.example. SOA")).Groups[1].Value;
        learned.Length.ShouldBe(48);
        for (var i = 0; i < 2; i++)
        {
            (await ExternalTool.DigAsync(port, $"+cookie={learned} svc.example. SOA")).ShouldContain("status: NOERROR");
        }

        using var response = await host.Client.GetAsync("/metrics");
        var scraped = ScrapedMetrics.Parse(await response.Content.ReadAsStringAsync());
        scraped.Value("holdfast_dns_cookie_exempted_total").ShouldBe(2);
        scraped.Value("holdfast_dns_rate_limited_total", ("action", "drop")).ShouldBe(0);
    }

    [GeneratedRegex(@"COOKIE: ([0-9a-fA-F]+) \(good\)")]
    private static partial Regex CookieLine();
}
