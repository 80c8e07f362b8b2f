using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Wire;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Dns.Tests.Transport;

/// <summary>Response rate limiting: the limiter alone on a manual clock, then a real server and real dig and kdig.</summary>
public sealed class RateLimitTests
{
    private static readonly byte[] s_client = [192, 0, 2, 10];
    private static readonly byte[] s_apex = Holdfast.Dns.Names.WireName.FromText("svc.example.");

    [Fact]
    public void Decide_OverTheRate_DropsAndSlipsEverySecondThenRecoversNextSecond()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var limiter = new ResponseRateLimiter(new RateLimitOptions { ResponsesPerSecond = 3, Slip = 2, Exempt = [] }, time);
        var limited = new List<string>();
        limiter.Limited += (prefix, kind) => limited.Add($"{prefix} {kind}");
        var decisions = Enumerable.Range(0, 7).Select(_ => limiter.Decide(s_client, ResponseKind.Answer, s_apex)).ToArray();
        decisions.ShouldBe([RateLimitDecision.Send, RateLimitDecision.Send, RateLimitDecision.Send,
            RateLimitDecision.Drop, RateLimitDecision.Slip, RateLimitDecision.Drop, RateLimitDecision.Slip]);
        limited.ShouldBe(["192.0.2.0/24 Answer"]);

        // Same /24, another kind: counted apart. Another prefix: counted apart.
        limiter.Decide(s_client, ResponseKind.NxDomain, s_apex).ShouldBe(RateLimitDecision.Send);
        limiter.Decide([192, 0, 3, 10], ResponseKind.Answer, s_apex).ShouldBe(RateLimitDecision.Send);
        limiter.Decide([192, 0, 2, 99], ResponseKind.Answer, s_apex).ShouldBe(RateLimitDecision.Drop);

        time.Advance(TimeSpan.FromSeconds(1));
        limiter.Decide(s_client, ResponseKind.Answer, s_apex).ShouldBe(RateLimitDecision.Send);
        limiter.Slipped.ShouldBe(2);
        limiter.Dropped.ShouldBe(3);
    }

    [Fact]
    public void Decide_StillLimitedInTheNextSecond_LogsOnlyOnce()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var limiter = new ResponseRateLimiter(new RateLimitOptions { ResponsesPerSecond = 1, Exempt = [] }, time);
        var limited = 0;
        limiter.Limited += (_, _) => limited++;
        for (var second = 0; second < 3; second++)
        {
            for (var i = 0; i < 5; i++)
            {
                limiter.Decide(s_client, ResponseKind.Answer, s_apex);
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        limited.ShouldBe(1);
    }

    [Fact]
    public void Decide_ExemptPrefix_IsNeverLimited()
    {
        var limiter = new ResponseRateLimiter(new RateLimitOptions { ResponsesPerSecond = 1 }, new FakeTimeProvider(TestTime.IncidentStart));
        for (var i = 0; i < 10; i++)
        {
            limiter.Decide([127, 0, 0, 1], ResponseKind.Answer, s_apex).ShouldBe(RateLimitDecision.Send);
        }
    }

    [Theory]
    [InlineData(0, 2, 24, 56, 64, "responsesPerSecond")]
    [InlineData(20, 11, 24, 56, 64, "slip")]
    [InlineData(20, 2, 33, 56, 64, "ipv4PrefixLength")]
    [InlineData(20, 2, 24, 8, 64, "ipv6PrefixLength")]
    [InlineData(20, 2, 24, 56, 100, "tableSize")]
    public void Options_OutOfRange_AreRefusedNamingTheKey(int rate, int slip, int v4, int v6, int table, string key)
    {
        var options = new RateLimitOptions { ResponsesPerSecond = rate, Slip = slip, Ipv4PrefixLength = v4, Ipv6PrefixLength = v6, TableSize = table };
        Should.Throw<ArgumentException>(options.Validate).Message.ShouldContain("rateLimit." + key);
    }

    [Fact]
    public void Slip_Response_KeepsHeaderAndQuestionWithTc()
    {
        var engine = new QueryEngine(TestZones.Standard());
        var response = new byte[512];
        var length = engine.Answer(DnsQueryBuilder.Build(3, "api.svc.example.", DnsType.A, ednsPayload: 1232), response, overUdp: true);
        var slipped = ResponseRateLimiter.Slip(response, length);
        var view = ResponseView.Parse(response.AsSpan(0, slipped));
        view.Tc.ShouldBeTrue();
        view.Question.ShouldBe(["api.svc.example. A"]);
        view.Answer.ShouldBeEmpty();
        view.Additional.ShouldBeEmpty();
    }

    [Fact]
    public async Task RealClients_OverTheRate_GetTruncatedAnswersAndDigRetriesOverTcp()
    {
        // The limiter's clock stands still, so every query falls in one second; loopback is not exempt here.
        var limiter = new ResponseRateLimiter(new RateLimitOptions { ResponsesPerSecond = 2, Slip = 1, Exempt = [] }, new FakeTimeProvider(TestTime.IncidentStart));
        var limited = new List<string>();
        limiter.Limited += (prefix, kind) => { lock (limited) { limited.Add($"{prefix} {kind}"); } };
        await using var server = new DnsServer(new QueryEngine(TestZones.Standard()),
            new DnsServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1, RateLimiter = limiter }, TimeProvider.System);
        await server.StartAsync();
        var port = server.UdpEndPoint.Port;
        for (var i = 0; i < 2; i++)
        {
            (await ExternalTool.DigAsync(port, "+notcp +ignore api.svc.example. A")).ShouldNotContain(" tc");
        }

        (await ExternalTool.DigAsync(port, "+notcp +ignore api.svc.example. A")).ShouldMatch(@"flags: qr[a-z ]* tc");
        var retried = await ExternalTool.DigAsync(port, "+notcp api.svc.example. A");
        retried.ShouldContain("Truncated, retrying in TCP mode");
        retried.ShouldContain("127.0.0.1");
        var (exit, kdig) = await ExternalTool.RunAsync("kdig", $"@127.0.0.1 -p {port} +notcp +time=2 +retry=0 api.svc.example. A");
        exit.ShouldBe(0, kdig);
        kdig.ShouldContain("status: NOERROR");
        limited.ShouldBe(["127.0.0.0/24 Answer"]);
        limiter.Slipped.ShouldBeGreaterThanOrEqualTo(3);
    }
}
