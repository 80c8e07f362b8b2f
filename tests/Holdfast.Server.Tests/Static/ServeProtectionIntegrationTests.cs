using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Holdfast.Dns.Query;

namespace Holdfast.Server.Tests.Static;

/// <summary>
/// The real <c>holdfast serve</c> with its open-internet flags, queried from 127.0.0.1 by dig: NSID answered, server
/// cookies made with the given secret, rate limiting on (loopback not exempt here) and a client with a valid server
/// cookie let through while its prefix is over the limit.
/// </summary>
public sealed partial class ServeProtectionIntegrationTests : IDisposable
{
    private const string Secret = "0f0e0d0c0b0a09080706050403020100";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private readonly TempZoneFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Serve_NsidCookieSecretAndRateLimitFlags_AsDigSeesThem()
    {
        var zone = _files.Write("svc.example.zone", TempZoneFiles.SvcZone(1, "127.0.0.1"));
        await using var serve = HoldfastProcess.Start("serve", "--zone", $"svc.example.={zone}", "--listen", "127.0.0.1:0",
            "--nsid", "ns-serve.holdfast", "--cookie-secret", Secret,
            "--rate-limit-responses-per-second", "1", "--rate-limit-slip", "1", "--rate-limit-exempt", "none");
        var started = await serve.WaitForLineAsync(line => StartedLine().IsMatch(line), s_deadline);
        var port = int.Parse(StartedLine().Match(started).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);

        // dig retries a truncated answer over TCP, which is never limited: NSID is answered whatever the rate.
        var nsid = await ExternalTool.DigAsync(port, "+nsid svc.example. SOA");
        nsid.ShouldContain("status: NOERROR");
        nsid.ShouldContain("(\"ns-serve.holdfast\")");

        // Learned over TCP (not limited); the server cookie is the one RFC 9018 makes from --cookie-secret for 127.0.0.1.
        var learned = CookieLine().Match(await ExternalTool.DigAsync(port, "+tcp +cookie=0011223344556677 www.svc.example. A")).Groups[1].Value;
        learned.Length.ShouldBe(48);
        var cookie = Convert.FromHexString(learned);
        var expected = new byte[ServerCookie.Length];
        ServerCookie.Write(expected, cookie.AsSpan(0, 8), Convert.FromHexString(Secret), BinaryPrimitives.ReadUInt32BigEndian(cookie.AsSpan(12)), [127, 0, 0, 1]);
        cookie[8..].ShouldBe(expected);

        // Rate limiting is on by default: without a cookie the prefix goes over one answer a second at once.
        var truncated = false;
        for (var i = 0; i < 20 && !truncated; i++)
        {
            truncated = TruncatedFlags().IsMatch(await ExternalTool.DigAsync(port, "+notcp +ignore www.svc.example. A"));
        }

        truncated.ShouldBeTrue("20 queries at once from one prefix, none limited");
        await serve.WaitForLineAsync(line => line.Contains("rate limiting 127.0.0.0/24: Answer responses above the limit", StringComparison.Ordinal), s_deadline);

        // With the cookie every answer is sent in full. Without the exemption at most one a second would be, and
        // five dig runs take well under five seconds.
        for (var i = 0; i < 5; i++)
        {
            var answer = await ExternalTool.DigAsync(port, $"+notcp +ignore +cookie={learned} www.svc.example. A");
            answer.ShouldNotMatch(TruncatedFlags().ToString());
            answer.ShouldMatch(@"www\.svc\.example\.\s+300\s+IN\s+A\s+127\.0\.0\.1");
        }
    }

    [GeneratedRegex(@"DNS on 127\.0\.0\.1:(?<port>\d+) \(UDP and TCP\)")]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"COOKIE: ([0-9a-fA-F]+) \(good\)")]
    private static partial Regex CookieLine();

    [GeneratedRegex(@"flags: qr[a-z ]* tc")]
    private static partial Regex TruncatedFlags();
}
