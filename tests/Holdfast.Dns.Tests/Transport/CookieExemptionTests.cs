using System.Net;
using System.Text.RegularExpressions;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Dns.Tests.Transport;

/// <summary>
/// A client that proves its address with a valid server cookie (RFC 7873 §5.3) is not rate limited, as in BIND and
/// Knot's mod-rrl: the limiter alone, then a real server queried by dig and kdig from 127.0.0.1 with loopback not
/// exempt. One manual clock drives both the limiter's one-second windows and the cookies' timestamps, so every query
/// of a step falls in the same second and a cookie ages only when the test moves the clock.
/// </summary>
public sealed partial class CookieExemptionTests : IAsyncLifetime
{
    private const string TruncatedFlags = @"flags: qr[a-z ]* tc";
    private static readonly byte[] s_secret = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
    private ResponseRateLimiter _limiter = null!;
    private DnsServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        // One answer per second, then every response truncated (slip 1): a limited query shows as TC=1 at once.
        _limiter = new ResponseRateLimiter(new RateLimitOptions { ResponsesPerSecond = 1, Slip = 1, Exempt = [] }, _time);
        var engine = new QueryEngine(TestZones.Standard(), new EdnsFeatures { CookieSecret = s_secret, Time = _time });
        _server = new DnsServer(engine, new DnsServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1, RateLimiter = _limiter }, TimeProvider.System);
        await _server.StartAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Decide_ValidServerCookie_IsSentAndNotCountedWhileThePrefixIsOverTheRate()
    {
        var limiter = new ResponseRateLimiter(new RateLimitOptions { ResponsesPerSecond = 1, Slip = 0, Exempt = [] }, new FakeTimeProvider(TestTime.IncidentStart));
        byte[] client = [192, 0, 2, 10];
        limiter.Decide(client, ResponseKind.Answer, null).ShouldBe(RateLimitDecision.Send);
        limiter.Decide(client, ResponseKind.Answer, null).ShouldBe(RateLimitDecision.Drop);
        limiter.Decide(client, ResponseKind.Answer, null, validServerCookie: true).ShouldBe(RateLimitDecision.Send);
        limiter.Decide(client, ResponseKind.Answer, null, validServerCookie: true).ShouldBe(RateLimitDecision.Send);
        limiter.Decide(client, ResponseKind.Answer, null).ShouldBe(RateLimitDecision.Drop, "the cookie queries did not reset the count");
        limiter.CookieExempted.ShouldBe(2);
        limiter.Dropped.ShouldBe(2);
    }

    [Fact]
    public void Decide_ValidServerCookieFromAnExemptPrefix_IsNotCountedAsCookieExempted()
    {
        var limiter = new ResponseRateLimiter(new RateLimitOptions(), new FakeTimeProvider(TestTime.IncidentStart));
        limiter.Decide([127, 0, 0, 1], ResponseKind.Answer, null, validServerCookie: true).ShouldBe(RateLimitDecision.Send);
        limiter.CookieExempted.ShouldBe(0);
    }

    [Fact]
    public async Task RealClients_CookieFromAPreviousAnswer_AreAnsweredWhileTheirPrefixIsOverTheRate()
    {
        var learned = LearnedCookie(await DigAsync("+cookie=0011223344556677"));
        (await DigAsync("")).ShouldMatch(TruncatedFlags, "no cookie: over the rate, slipped");

        var dig = await DigAsync($"+cookie={learned}");
        dig.ShouldNotMatch(TruncatedFlags);
        dig.ShouldMatch(@"ANSWER: [1-9]");
        dig.ShouldContain("(good)");

        var (exit, kdig) = await ExternalTool.RunAsync("kdig", $"@127.0.0.1 -p {_server.UdpEndPoint.Port} +notcp +ignore +time=2 +retry=0 +cookie={learned} api.svc.example. A");
        exit.ShouldBe(0, kdig);
        kdig.ShouldContain("status: NOERROR");
        kdig.ShouldNotMatch(@"flags:[a-z ]*\btc\b");

        (await DigAsync("")).ShouldMatch(TruncatedFlags, "still over the rate without a cookie");
        _limiter.CookieExempted.ShouldBe(2);
        _limiter.Slipped.ShouldBe(2);
    }

    [Fact]
    public async Task RealClient_AlteredServerCookie_IsLimited()
    {
        var learned = LearnedCookie(await DigAsync("+cookie=0011223344556677"));
        var last = learned[^1] == '0' ? '1' : '0';
        var forged = learned[..^1] + last;

        (await DigAsync($"+cookie={forged}")).ShouldMatch(TruncatedFlags);
        _limiter.CookieExempted.ShouldBe(0);
        _limiter.Slipped.ShouldBe(1);
    }

    [Fact]
    public async Task RealClient_CookieOlderThanAnHour_IsLimitedAndAnsweredWithAFreshOne()
    {
        var learned = LearnedCookie(await DigAsync("+cookie=0011223344556677"));
        _time.Advance(TimeSpan.FromSeconds(ServerCookie.MaxAgeSeconds + 1));

        // A new second: the stale cookie's query is counted (the first of the second, so still answered) and gets
        // a fresh cookie for the same client cookie.
        var answered = await DigAsync($"+cookie={learned}");
        answered.ShouldNotMatch(TruncatedFlags);
        var fresh = LearnedCookie(answered);
        fresh.ShouldNotBe(learned);
        fresh[..16].ShouldBe(learned[..16]);
        _limiter.CookieExempted.ShouldBe(0);

        (await DigAsync($"+cookie={learned}")).ShouldMatch(TruncatedFlags, "the stale cookie is not exempt");
        (await DigAsync($"+cookie={fresh}")).ShouldNotMatch(TruncatedFlags, "the fresh one is");
        _limiter.CookieExempted.ShouldBe(1);
    }

    /// <summary>UDP only and no retry over TCP on TC=1, so that a slipped answer shows as what it is.</summary>
    private Task<string> DigAsync(string arguments) =>
        ExternalTool.DigAsync(_server.UdpEndPoint.Port, $"+notcp +ignore {arguments} api.svc.example. A");

    /// <summary>The client and server cookie dig printed from an answer, checked as its own (dig says "good").</summary>
    private static string LearnedCookie(string digOutput)
    {
        var match = CookieLine().Match(digOutput);
        match.Success.ShouldBeTrue(digOutput);
        match.Groups[2].Value.ShouldBe("good", digOutput);
        match.Groups[1].Value.Length.ShouldBe(2 * (ServerCookie.ClientCookieLength + ServerCookie.Length));
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"COOKIE: ([0-9a-fA-F]+) \((\w+)\)")]
    private static partial Regex CookieLine();
}
