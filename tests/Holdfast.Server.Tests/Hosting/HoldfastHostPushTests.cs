using System.Text.Json;
using Holdfast.Server.Configuration;
using Holdfast.Testing.Servers;

namespace Holdfast.Server.Tests.Hosting;

/// <summary>
/// <c>zones[].push</c> in a real host: the enactors' applies reach a real Knot by fenced UPDATE, the target is reported in
/// status and events, a killed server is caught up after its restart, and a push-only zone is served by the target only.
/// Every check of the external server is a dig against it.
/// </summary>
public sealed class HoldfastHostPushTests
{
    private const string KeyName = "push-key.";
    private static readonly string s_secret = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)(0x5a ^ i))]);

    private static string Config(string data, int port, string mode = "serveAndPush") =>
        TestHost.Config(data).Replace(
            $"  - {{ apex: {TestHost.Zone}, soa: {{ mname: ns1.{TestHost.Zone}, rname: hostmaster.{TestHost.Zone} }}, ns: [ns1.{TestHost.Zone}] }}",
            $$"""
              - apex: {{TestHost.Zone}}
                soa: { mname: ns1.{{TestHost.Zone}}, rname: hostmaster.{{TestHost.Zone}} }
                ns: [ns1.{{TestHost.Zone}}]
                push:
                  mode: {{mode}}
                  timeout: 2s
                  retryInitial: 100ms
                  retryMax: 500ms
                  fullPassInterval: 1s
                  targets:
                    - { name: knot-1, server: 127.0.0.1:{{port}}, tsig: "{{KeyName}}:{{s_secret}}" }
            """,
            StringComparison.Ordinal);

    private static async Task<string> ExternalAnswerAsync(AuthoritativeServer server) =>
        string.Join(' ', (await server.DigAsync(TestHost.Api, "A")).Select(l => l.Split(' ')[^1]).Order(StringComparer.Ordinal));

    private static JsonElement PushStatus(JsonElement status) => status.GetProperty("push").EnumerateArray().Single();

    [Fact]
    public async Task Push_AppliesReachKnot_AndAKilledTargetIsReportedAndCaughtUp()
    {
        await using var knot = await AuthoritativeServer.StartAsync(ServerKind.Knot, KeyName, s_secret);
        using var data = new TempDirectory();
        await using var host = await TestHost.StartAsync(Config(data.Path, knot.Port), data);

        // The first apply (all three targets, health unknown) reaches Knot with its generation marker.
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Generation > 0, "first apply");
        var live = await host.LiveAsync();
        await TestHost.EventuallyAsync(async () => await ExternalAnswerAsync(knot) == live.Addresses, $"Knot answers {live.Addresses}");
        (await knot.DigAsync("_holdfast-generation." + TestHost.Api, "TXT")).ShouldHaveSingleItem().ShouldEndWith($"\"{live.Generation}\"");

        // A target reported down leaves Knot's answer as it leaves Holdfast's.
        await host.ReportAsync("t1", "down");
        await TestHost.EventuallyAsync(async () => await ExternalAnswerAsync(knot) == "127.0.0.12 127.0.0.13", "t1 gone from Knot's answer");
        // A push counts once its answer is verified (after dig may already see it). Under load an answer can be lost after
        // the server applied it; the read-back then finds the server in sync, so the count may be lower than the changes.
        await TestHost.EventuallyAsync(
            async () => PushStatus(await host.GetJsonAsync("/api/v1/status")) is var p && p.GetProperty("pushed").GetInt64() >= 1 && p.GetProperty("state").GetString() == "ok",
            "a push counted and the target ok");
        PushStatus(await host.GetJsonAsync("/api/v1/status")).GetProperty("name").GetString().ShouldBe("knot-1");

        // Killed: the target is reported failing (status and one event); the change made meanwhile lands after the restart.
        knot.Kill();
        await host.ReportAsync("t1", "up");
        await TestHost.EventuallyAsync(async () => PushStatus(await host.GetJsonAsync("/api/v1/status")).GetProperty("state").GetString() == "failing", "status says failing");
        var failing = PushStatus(await host.GetJsonAsync("/api/v1/status"));
        failing.GetProperty("lastError").GetString().ShouldNotBeNullOrEmpty();
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Addresses == "127.0.0.11 127.0.0.12 127.0.0.13", "t1 back in Holdfast's answer");

        await knot.RestartAsync();
        await TestHost.EventuallyAsync(async () => await ExternalAnswerAsync(knot) == "127.0.0.11 127.0.0.12 127.0.0.13", "Knot caught up after its restart");
        await TestHost.EventuallyAsync(async () => PushStatus(await host.GetJsonAsync("/api/v1/status")).GetProperty("state").GetString() == "ok", "status says ok again");
        var kinds = (await host.GetJsonAsync("/api/v1/events?limit=1000")).EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        kinds.ShouldContain("push.failing");
        kinds.ShouldContain("push.recovered");

        // /metrics names the target.
        var metrics = await host.Client.GetStringAsync("/metrics");
        metrics.ShouldContain("holdfast_push_updates_total{result=\"pushed\",target=\"knot-1\"}");
    }

    [Fact]
    public async Task PushOnly_TheTargetServesTheZone_HoldfastsDnsServerRefusesIt()
    {
        await using var knot = await AuthoritativeServer.StartAsync(ServerKind.Knot, KeyName, s_secret);
        using var data = new TempDirectory();
        await using var host = await TestHost.StartAsync(Config(data.Path, knot.Port, "pushOnly"), data);

        await TestHost.EventuallyAsync(async () => await ExternalAnswerAsync(knot) == "127.0.0.11 127.0.0.12 127.0.0.13", "Knot answers every target");
        var own = await Holdfast.Testing.ExternalTool.DigAsync(host.Host.DnsEndPoints[0].Port, $"{TestHost.Api} A");
        own.ShouldContain("status: REFUSED");
    }

    [Theory]
    [InlineData("targets: []", "zones[0].push.targets: is required")]
    [InlineData("targets: [{ name: a, server: 127.0.0.1:53, tsig: \"k.:bm90YmFzZTY0\" }]", "zones[0].push.targets[0].tsig: expected NAME:BASE64SECRET")]
    [InlineData("targets: [{ name: a, server: 127.0.0.1, tsig: \"k.:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }]", "zones[0].push.targets[0].server: expected ADDRESS:PORT")]
    [InlineData("mode: both\n      targets: [{ name: a, server: 127.0.0.1:53, tsig: \"k.:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }]", "zones[0].push.mode: expected serveAndPush or pushOnly")]
    [InlineData("targets: [{ name: a, server: 127.0.0.1:53, tsig: \"k.:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }, { name: a, server: 127.0.0.1:54, tsig: \"k.:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }]", "duplicate push target name 'a'")]
    public void Config_InvalidPush_IsRefusedWithItsKey(string push, string expected)
    {
        var yaml = TestHost.Config("/tmp/unused").Replace(
            $"  - {{ apex: {TestHost.Zone}, soa: {{ mname: ns1.{TestHost.Zone}, rname: hostmaster.{TestHost.Zone} }}, ns: [ns1.{TestHost.Zone}] }}",
            $"  - apex: {TestHost.Zone}\n    soa: {{ mname: ns1.{TestHost.Zone}, rname: hostmaster.{TestHost.Zone} }}\n    ns: [ns1.{TestHost.Zone}]\n    push:\n      {push}",
            StringComparison.Ordinal);

        var result = ConfigValidator.Validate(yaml, "test.yaml");

        result.IsValid.ShouldBeFalse();
        string.Join("\n", result.Errors).ShouldContain(expected);
    }
}
