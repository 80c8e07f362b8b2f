using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Holdfast.Health.Demo;

namespace Holdfast.Cli.Tests.EndToEnd;

/// <summary>
/// The "Done when" of issue 5, end to end with real processes and sockets: <c>holdfast up</c> as a child
/// process on free loopback ports with a generated config and its own data directory; one small HTTP health
/// listener per target started by the test; answers read with the real <c>dig</c>; freeze and rollback done
/// with the built CLI as a process. Every wait polls against a deadline; the child is killed by PID in finally.
/// </summary>
public sealed class HoldfastUpEndToEndTests : IDisposable
{
    private const string Zone = "e2e.test.";
    private const string Name = "www.e2e.test.";
    private static readonly string[] s_addresses = ["127.0.0.11", "127.0.0.12", "127.0.0.13"];

    // Health and loop timings of the generated config; the failover bound below is computed from them.
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromMilliseconds(300);
    private const int Fall = 2;
    private static readonly TimeSpan s_downGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_loop = TimeSpan.FromMilliseconds(200);

    private readonly TempDirectory _directory = new();
    private readonly ITestOutputHelper _log = TestContext.Current.TestOutputHelper!;

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// The longest a stopped target may stay in the answer: <c>fall</c> failed probes (interval plus 10 % jitter
    /// each, the last one timing out at worst), the down grace, one planner and one enactor pass, the zone feed's
    /// one-second refresh, plus 5 s for a loaded two-core machine.
    /// </summary>
    private static TimeSpan FailoverBound =>
        (s_probeInterval * 1.1 * Fall) + s_probeTimeout + s_downGrace + s_loop + s_loop + TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(5);

    [Fact]
    public async Task HoldfastUp_RealProcess_FailsOverFailsOpenFreezesRollsBackAndSurvivesSigkill()
    {
        await using var t1 = DemoHealthListener.Listen(IPAddress.Loopback);
        await using var t2 = DemoHealthListener.Listen(IPAddress.Loopback);
        await using var t3 = DemoHealthListener.Listen(IPAddress.Loopback);
        var dnsPort = LoopbackPorts.Free();
        var apiPort = LoopbackPorts.Free();
        var config = WriteConfig(dnsPort, apiPort, [t1, t2, t3]);
        using var api = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(5) };
        var holdfast = HoldfastProcess.Start(config);
        try
        {
            // 1. Up: ready, and dig gets every target.
            await HostWaits.WaitForAsync(() => HostWaits.ReadyAsync(api), TimeSpan.FromSeconds(90), "readyz 200", holdfast);
            await WaitForAnswerAsync(dnsPort, s_addresses, TimeSpan.FromSeconds(30), "all three targets answered", holdfast);

            // 2. One target's health listener stops: it leaves the answer within the configured thresholds.
            await t3.StopAsync();
            var stopped = TimeProvider.System.GetTimestamp();
            await WaitForAnswerAsync(dnsPort, ["127.0.0.11", "127.0.0.12"], FailoverBound + TimeSpan.FromSeconds(10), "t3 leaves the answer", holdfast);
            var failover = TimeProvider.System.GetElapsedTime(stopped);
            _log.WriteLine($"failover: t3 left the answer {failover.TotalSeconds:0.0} s after its listener stopped (bound {FailoverBound.TotalSeconds:0.0} s)");
            failover.ShouldBeLessThanOrEqualTo(FailoverBound);

            // 3. Every listener stops: fail-open keeps every target in the answer and raises an alarm.
            await t1.StopAsync();
            await t2.StopAsync();
            await HostWaits.WaitForAsync(async () => (await Cli(config, "events", "-o", "json", "--limit", "1000")).Out.Contains("\"alarm.fail-open\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "an alarm.fail-open event", holdfast);
            await WaitForAnswerAsync(dnsPort, s_addresses, TimeSpan.FromSeconds(10), "fail-open publishes all three", holdfast);
            var failOpen = await LiveAsync(api);

            // 4. Freeze: health recovers for t1 and t2, the planner writes a plan, nothing is applied.
            var freeze = await Cli(config, "freeze", Name, "--reason", "e2e: change window");
            freeze.Exit.ShouldBe(0, freeze.ToString());
            t1.Start();
            t2.Start();
            await HostWaits.WaitForAsync(async () => (await LiveAsync(api)).Latest > failOpen.Live, TimeSpan.FromSeconds(30), "a newer plan written while frozen", holdfast);
            await Task.Delay(s_loop * 5, TestContext.Current.CancellationToken); // several enactor passes
            (await LiveAsync(api)).Live.ShouldBe(failOpen.Live, "frozen: no enactor applied the newer plan");
            (await Dig.AddressesAsync(dnsPort, Name)).ShouldBe(s_addresses);
            var pending = await Cli(config, "plan", "diff", Name);
            pending.Exit.ShouldBe(1, pending.ToString());
            pending.Out.ShouldMatch(@"-\s+127\.0\.0\.13");

            // 5. Unfreeze: the waiting plan goes live.
            (await Cli(config, "unfreeze", Name, "--reason", "e2e: window over")).Exit.ShouldBe(0);
            await WaitForAnswerAsync(dnsPort, ["127.0.0.11", "127.0.0.12"], TimeSpan.FromSeconds(15), "the plan written while frozen goes live", holdfast);
            var beforeRollback = await LiveAsync(api);

            // 6. Rollback to the last good plan (the fail-open one): old records, higher generation.
            var rollback = await Cli(config, "rollback", Name, "--to", "last-good", "--reason", "e2e: bring t3 back");
            rollback.Exit.ShouldBe(0, rollback.ToString());
            rollback.Out.ShouldContain("dry run: rollback of www.e2e.test.");
            rollback.Out.ShouldMatch(@"\+\s+127\.0\.0\.13");
            await WaitForAnswerAsync(dnsPort, s_addresses, TimeSpan.FromSeconds(15), "the rollback's records", holdfast);
            var rolledBack = await LiveAsync(api);
            rolledBack.Live.ShouldBeGreaterThan(beforeRollback.Live);
            var history = await Cli(config, "get", "plans", Name, "-o", "json");
            using (var plans = JsonDocument.Parse(history.Out))
            {
                var live = plans.RootElement.EnumerateArray().Single(p => p.GetProperty("live").GetBoolean());
                live.GetProperty("generation").GetInt64().ShouldBe(rolledBack.Live);
                live.GetProperty("origin").GetString().ShouldBe("rollback");
            }

            // 7. SIGKILL and restart: the same answers and the same history.
            var answerBefore = await Dig.AddressesAsync(dnsPort, Name);
            var historyBefore = Generations(history.Out);
            await holdfast.KillAsync();
            holdfast.Dispose();
            holdfast = HoldfastProcess.Start(config);
            await HostWaits.WaitForAsync(() => HostWaits.ReadyAsync(api), TimeSpan.FromSeconds(90), "readyz 200 after the restart", holdfast);
            await WaitForAnswerAsync(dnsPort, answerBefore, TimeSpan.FromSeconds(15), "the same answer after SIGKILL and restart", holdfast);
            var historyAfter = await Cli(config, "get", "plans", Name, "-o", "json");
            historyAfter.Exit.ShouldBe(0, historyAfter.ToString());
            Generations(historyAfter.Out).ShouldBe(historyBefore);
            (await LiveAsync(api)).Live.ShouldBe(rolledBack.Live);
            var events = await Cli(config, "events", "-o", "json", "--limit", "1000");
            events.Out.ShouldContain("\"rollback.written\"");
            events.Out.ShouldContain("\"freeze.set\"");
        }
        finally
        {
            holdfast.Dispose();
        }
    }

    private string WriteConfig(int dnsPort, int apiPort, DemoHealthListener[] listeners)
    {
        var targets = string.Concat(listeners.Select((l, i) => $$"""

                  - { id: t{{i + 1}}, address: {{s_addresses[i]}}, az: az{{i + 1}}, capacity: 10, healthCheck: { kind: http, url: "{{l.Url}}" } }
            """));
        var yaml = $$"""
            dataDirectory: {{Path.Combine(_directory.Path, "data")}}
            dns:
              listen: [127.0.0.1:{{dnsPort}}]
            api:
              listen: 127.0.0.1:{{apiPort}}
            zones:
              - apex: {{Zone}}
                soa: { mname: ns1.{{Zone}}, rname: hostmaster.{{Zone}} }
                ns: [ns1.{{Zone}}]
            enactors:
              - { id: enactor-az1, az: az1 }
              - { id: enactor-az2, az: az2 }
              - { id: enactor-az3, az: az3 }
            healthSources:
              - { name: probe-a, kind: http, interval: {{Ms(s_probeInterval)}}, timeout: {{Ms(s_probeTimeout)}}, rise: 1, fall: {{Fall}} }
              - { name: probe-b, kind: http, interval: {{Ms(s_probeInterval)}}, timeout: {{Ms(s_probeTimeout)}}, rise: 1, fall: {{Fall}} }
            health: { downGrace: {{Ms(s_downGrace)}}, newTargetGrace: 0s }
            planner: { fullPassInterval: 5m }
            guardrails:
              keepPlans: 50
              selfPreservation: { minTargets: 100 }
            endpoints:
              - name: www
                zone: {{Zone}}
                ttl: 5
                policy: { capacityFloor: 0.3, velocityLimit: 1, velocityWindow: 1m, failOpen: true }
                targets:{{targets}}
            """;
        var path = Path.Combine(_directory.Path, "holdfast.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string Ms(TimeSpan value) => ((int)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    /// <summary>A client command through the built CLI, addressed and authorized by the generated config alone.</summary>
    private static Task<CliResult> Cli(string config, params string[] args) => BuiltCli.RunAsync(TimeSpan.FromSeconds(60), [.. args, "--config", config]);


    private static async Task<(long Live, long Latest)> LiveAsync(HttpClient api)
    {
        var endpoints = await api.GetFromJsonAsync<JsonElement>("/api/v1/endpoints", TestContext.Current.CancellationToken);
        var www = endpoints.EnumerateArray().Single(e => e.GetProperty("name").GetString() == Name);
        return (www.GetProperty("liveGeneration").GetInt64(), www.GetProperty("latestGeneration").GetInt64());
    }

    private static List<(long, string)> Generations(string plansJson)
    {
        using var document = JsonDocument.Parse(plansJson);
        return [.. document.RootElement.EnumerateArray().Select(p => (p.GetProperty("generation").GetInt64(), string.Join(' ', p.GetProperty("records").EnumerateArray().Select(r => r.GetString()))))];
    }

    private static Task WaitForAnswerAsync(int dnsPort, IReadOnlyList<string> expected, TimeSpan timeout, string what, HoldfastProcess holdfast) =>
        HostWaits.WaitForAsync(async () => (await Dig.AddressesAsync(dnsPort, Name)).SequenceEqual(expected), timeout, $"{what}: dig {Name} = {string.Join(' ', expected)}", holdfast);
}
