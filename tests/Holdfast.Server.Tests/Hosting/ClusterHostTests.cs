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

    private static async Task<JsonElement> ClusterAsync(TestHost host) => (await host.GetJsonAsync("/api/v1/status")).GetProperty("cluster");

    private static string? PlannerOf(JsonElement cluster) => cluster.GetProperty("planner").GetString();

    private static async Task<long> SerialAsync(TestHost host) => (await host.GetJsonAsync("/api/v1/zones/" + TestHost.Zone)).GetProperty("serial").GetInt64();
}
