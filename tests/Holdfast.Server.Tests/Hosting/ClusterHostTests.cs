using System.Text.Json;

namespace Holdfast.Server.Tests.Hosting;

/// <summary>
/// Two real Holdfast hosts on one real etcd (Debian's etcd-server, started by the test): both enact and serve from the
/// change feed, one runs the planner, and the other takes the planner over when the first stops.
/// </summary>
public sealed class ClusterHostTests
{
    [Fact]
    public async Task TwoNodes_OneEtcd_OnePlannerSameAnswersSameSerialAndThePlannerMovesWhenItsNodeStops()
    {
        await using var etcd = await EtcdCluster.StartAsync(1);
        var prefix = "/cluster-" + Guid.NewGuid().ToString("N")[..8] + "/";
        string Store(string node) => $"store: {{ kind: etcd, endpoints: [{etcd.ClientUrls[0].ToString().TrimEnd('/')}], prefix: {prefix}, nodeId: {node} }}";
        using var dataA = new TempDirectory();
        using var dataB = new TempDirectory();
        var a = await TestHost.StartAsync(TestHost.Config(dataA.Path, extra: Store("a")), dataA);
        var b = await TestHost.StartAsync(TestHost.Config(dataB.Path, extra: Store("b")), dataB);
        var hosts = new[] { a, b };
        var running = hosts.ToList();
        try
        {
            await TestHost.EventuallyAsync(async () => (await ClusterAsync(a)).GetProperty("nodes").GetArrayLength() == 2, "both nodes registered");
            string? planner = null;
            await TestHost.EventuallyAsync(async () => (planner = PlannerOf(await ClusterAsync(b))) is "a" or "b", "a planner elected");
            hosts.Count(h => h.Host.Membership!.IsPlanner).ShouldBe(1);

            foreach (var host in hosts)
            {
                foreach (var target in new[] { "t1", "t2", "t3" })
                {
                    await host.ReportAsync(target, "up");
                }
            }

            await TestHost.EventuallyAsync(async () => (await a.LiveAsync()).Addresses == "127.0.0.11 127.0.0.12 127.0.0.13" && (await b.LiveAsync()).Addresses == "127.0.0.11 127.0.0.12 127.0.0.13", "both nodes serve every target", 30);
            foreach (var host in hosts)
            {
                await host.ReportAsync("t2", "down");
            }

            await TestHost.EventuallyAsync(async () => (await a.LiveAsync()).Addresses == "127.0.0.11 127.0.0.13" && (await b.LiveAsync()).Addresses == "127.0.0.11 127.0.0.13", "both nodes drop t2", 30);
            (await a.LiveAsync()).ShouldBe(await b.LiveAsync());
            await TestHost.EventuallyAsync(async () => await SerialAsync(a) == await SerialAsync(b), "the same serial for the same state");
            var dig = await ExternalTool.DigAsync(b.Host.DnsEndPoints[0].Port, "+short " + TestHost.Api + " A");
            dig.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ShouldBe(["127.0.0.11", "127.0.0.13"]);

            // The planner's node stops (its lease is revoked on the way out): the other one plans next.
            var leaving = planner == "a" ? a : b;
            var staying = planner == "a" ? b : a;
            running.Remove(leaving);
            await leaving.DisposeAsync();
            await TestHost.EventuallyAsync(() => Task.FromResult(staying.Host.Membership!.IsPlanner), "the other node took the planner over", 30);
            await staying.ReportAsync("t2", "up");
            await TestHost.EventuallyAsync(async () => (await staying.LiveAsync()).Addresses == "127.0.0.11 127.0.0.12 127.0.0.13", "the new planner plans", 30);
        }
        finally
        {
            foreach (var host in running)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Restart_WhileEtcdIsDown_ServesTheLocalCopyUnderTheSameSerial_ThenStartsTheControlPlaneWhenEtcdAnswers()
    {
        await using var etcd = await EtcdCluster.StartAsync(1);
        var prefix = "/copy-" + Guid.NewGuid().ToString("N")[..8] + "/";
        using var data = new TempDirectory();
        var yaml = TestHost.Config(data.Path, extra: $"store: {{ kind: etcd, endpoints: [{etcd.ClientUrls[0].ToString().TrimEnd('/')}], prefix: {prefix}, nodeId: a }}");
        var copy = Path.Combine(data.Path, "serving-snapshot.json");
        long serial;
        await using (var first = await TestHost.StartAsync(yaml, data))
        {
            foreach (var target in new[] { "t1", "t3" })
            {
                await first.ReportAsync(target, "up");
            }

            await first.ReportAsync("t2", "down");
            await TestHost.EventuallyAsync(async () => (await first.LiveAsync()).Addresses == "127.0.0.11 127.0.0.13", "t2 dropped", 30);
            serial = await SerialAsync(first);
            await TestHost.EventuallyAsync(
                () => Task.FromResult(File.Exists(copy) && File.ReadAllText(copy).Contains("127.0.0.13", StringComparison.Ordinal) && !File.ReadAllText(copy).Contains("127.0.0.12", StringComparison.Ordinal)),
                "the local copy holds the current answer");
        }

        etcd.Kill(0);
        await using var second = await TestHost.StartAsync(yaml, data);

        // DNS answers the last good data under the serial it had; the node says why it is not ready; the API waits.
        var port = second.Host.DnsEndPoints[0].Port;
        (await ExternalTool.DigAsync(port, $"+short {TestHost.Api} A")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ShouldBe(["127.0.0.11", "127.0.0.13"]);
        (await ExternalTool.DigAsync(port, $"+short {TestHost.Zone} SOA")).Split(' ')[2].ShouldBe(serial.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (var ready = await second.Client.GetAsync("/readyz"))
        {
            ((int)ready.StatusCode).ShouldBe(503);
            (await ready.Content.ReadAsStringAsync()).ShouldContain("local copy of revision");
        }

        using (var api = await second.Client.GetAsync("/api/v1/endpoints"))
        {
            ((int)api.StatusCode).ShouldBe(503);
        }

        await etcd.RestartAsync(0);
        await TestHost.EventuallyAsync(async () => (await second.Client.GetAsync("/readyz")).IsSuccessStatusCode, "ready once etcd answers", 60);

        // Health lives in each node's memory: the restarted node plans from what it is told now.
        await second.ReportAsync("t1", "down");
        await second.ReportAsync("t2", "up");
        await second.ReportAsync("t3", "up");
        await TestHost.EventuallyAsync(
            async () => string.Join(' ', (await ExternalTool.DigAsync(port, $"+short {TestHost.Api} A")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)) == "127.0.0.12 127.0.0.13",
            "the control plane runs again",
            30);
    }

    private static async Task<JsonElement> ClusterAsync(TestHost host) => (await host.GetJsonAsync("/api/v1/status")).GetProperty("cluster");

    private static string? PlannerOf(JsonElement cluster) => cluster.GetProperty("planner").GetString();

    private static async Task<long> SerialAsync(TestHost host) => (await host.GetJsonAsync("/api/v1/zones/" + TestHost.Zone)).GetProperty("serial").GetInt64();
}
