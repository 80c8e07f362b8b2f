using Etcdserverpb;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Storage.Etcd.Tests;

/// <summary>
/// Real member faults on a 3-member cluster of this class's own: the raft leader killed with SIGKILL while enactors write,
/// and the watch resumed after a member restart across an etcd compaction.
/// </summary>
public sealed class EtcdMemberFaultTests(EtcdClusterFixture fixture) : IClassFixture<EtcdClusterFixture>
{
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);

    [Fact]
    public async Task Writes_LeaderKilledMidWrite_EveryAcknowledgedApplyPresentExactlyOnceAndNeverBackwards()
    {
        var cluster = fixture.Cluster;
        using var store = Open();
        var endpoints = Enumerable.Range(0, 4).Select(i => Specs.Endpoint("k" + i)).ToList();
        await store.PutEndpointsAsync(endpoints, "test");
        var acknowledged = new List<(string Endpoint, Generation Generation)>();
        var unknown = 0;
        using var stop = new CancellationTokenSource();

        async Task EnactAsync(EndpointSpec spec, string enactor)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var g = await store.AllocateGenerationAsync();
                    var plan = Specs.Plan(spec, g.Value, _time.GetUtcNow(), g.Value % 2 == 0 ? ["t1"] : ["t2", "t3"]);
                    if ((await store.WritePlanAsync(plan)).Written && await store.ConditionalApplyAsync(spec.Name, g, enactor) is { Status: ApplyStatus.Applied } applied)
                    {
                        lock (acknowledged)
                        {
                            acknowledged.Add((spec.Name, applied.Current));
                        }
                    }
                }
                catch (ControlStoreException)
                {
                    // An outcome the store could not learn within its operation deadline: allowed, checked below by reading back.
                    Interlocked.Increment(ref unknown);
                }
            }
        }

        var writers = endpoints.Select((e, i) => Task.Run(() => EnactAsync(e, "az" + (i % 3)))).ToList();
        await ExternalTool.WaitUntilAsync(() => Task.FromResult(Count(acknowledged) >= 20), TimeSpan.FromSeconds(60));
        var leader = await cluster.LeaderAsync();
        leader.ShouldBeGreaterThanOrEqualTo(0);
        var beforeKill = Count(acknowledged);
        cluster.Kill(leader);
        await ExternalTool.WaitUntilAsync(() => Task.FromResult(Count(acknowledged) >= beforeKill + 20), TimeSpan.FromSeconds(60));
        await cluster.RestartAsync(leader);
        var afterRestart = Count(acknowledged);
        await ExternalTool.WaitUntilAsync(() => Task.FromResult(Count(acknowledged) >= afterRestart + 10), TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Count(acknowledged).ShouldBeGreaterThan(afterRestart, "writes went on after the leader was killed and came back");
        var applied = new List<AppliedChange>();
        var page = await store.ReadChangesAsync(0, 100_000);
        applied.AddRange(page.Changes.OfType<AppliedChange>());
        foreach (var spec in endpoints)
        {
            var generations = applied.Where(c => c.Endpoint == spec.Name).Select(c => c.Generation.Value).ToList();
            generations.ShouldBeInOrder(SortDirection.Ascending);
            generations.Distinct().Count().ShouldBe(generations.Count);
            (await store.GetAppliedAsync(spec.Name))!.Generation.Value.ShouldBe(generations[^1]);
        }

        foreach (var (endpoint, generation) in acknowledged)
        {
            applied.Count(c => c.Endpoint == endpoint && c.Generation == generation).ShouldBe(1, $"{endpoint} {generation} acknowledged");
        }

        (await store.ReadAuditAsync(0, 100_000)).Count(a => a.Action == "apply.applied").ShouldBe(applied.Count);
    }

    [Fact]
    public async Task WaitForChange_AfterMemberRestartAcrossAnEtcdCompaction_WatchResumesAndWakes()
    {
        var cluster = fixture.Cluster;
        var prefix = "/watch/" + Guid.NewGuid().ToString("N") + "/";
        // The watcher talks to member 0 only; the writer to the others.
        using var watcher = Open(prefix, [cluster.ClientUrls[0]]);
        using var writer = Open(prefix, [cluster.ClientUrls[1], cluster.ClientUrls[2]]);
        await writer.PutEndpointAsync(Specs.Endpoint("a"), "test");
        await watcher.WaitForChangeAsync(0, TimeSpan.FromSeconds(30)).WaitAsync(TimeSpan.FromSeconds(30));

        cluster.Kill(0);
        for (var i = 0; i < 5; i++)
        {
            await writer.PutEndpointAsync(Specs.Endpoint("b" + i), "test");
        }

        // Compact etcd's history past what the watcher saw, so that resuming from its revision finds it gone.
        using (var client = new dotnet_etcd.EtcdClient(cluster.ClientUrls[1].ToString().TrimEnd('/')))
        {
            var status = await client.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8(prefix) });
            await client.CompactAsync(new CompactionRequest { Revision = status.Header.Revision, Physical = true });
        }

        await cluster.RestartAsync(0);
        var revision = await writer.GetRevisionAsync();
        var wait = watcher.WaitForChangeAsync(revision, TimeSpan.FromHours(1));
        await Task.Delay(200);
        wait.IsCompleted.ShouldBeFalse();
        await writer.PutEndpointAsync(Specs.Endpoint("c"), "test");
        await wait.WaitAsync(TimeSpan.FromSeconds(30));
        (await watcher.GetRevisionAsync()).ShouldBe(revision + 1);
    }

    private EtcdControlStore Open(string? prefix = null, IReadOnlyList<Uri>? endpoints = null) =>
        EtcdControlStore.Open(new EtcdControlStoreOptions { Endpoints = endpoints ?? fixture.Cluster.ClientUrls, Prefix = prefix ?? "/faults/" + Guid.NewGuid().ToString("N") + "/" }, _time);

    private static int Count<T>(List<T> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }
}
