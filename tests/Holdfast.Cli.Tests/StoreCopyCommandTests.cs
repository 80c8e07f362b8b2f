using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Storage.Etcd;
using Holdfast.Storage.Sqlite;
using Holdfast.Testing.Builders;

namespace Holdfast.Cli.Tests;

/// <summary>
/// <c>holdfast store copy</c> from a real SQLite store into a real etcd (Debian's etcd-server on a free loopback port):
/// zones, specs, plans (a rejected one and one newer than the applied one), applied state, freezes and audit arrive,
/// the read-back passes, and a second copy into the same prefix is refused.
/// </summary>
public sealed class StoreCopyCommandTests
{
    [Fact]
    public async Task Copy_SqliteToEtcd_CopiesEverythingVerifiesAndRefusesANonEmptyTarget()
    {
        using var data = new TempDirectory();
        await using var etcd = await EtcdCluster.StartAsync(1);
        var prefix = "/copy-" + Guid.NewGuid().ToString("N")[..8] + "/";
        var url = etcd.ClientUrls[0].ToString().TrimEnd('/');
        var api = Specs.Endpoint("api");
        var web = Specs.Endpoint("web");
        using (var sqlite = SqliteControlStore.Open(data.Path, TimeProvider.System))
        {
            await sqlite.PutZoneAsync(new ZoneSpec(Specs.Zone, new SoaValues("ns1.svc.example.", "hostmaster.svc.example."), ["ns1.svc.example."]), "test");
            await sqlite.PutEndpointAsync(api, "test");
            await sqlite.PutEndpointAsync(web, "test");
            var g1 = await sqlite.AllocateGenerationAsync();
            (await sqlite.WritePlanAsync(Specs.Plan(api, g1.Value, DateTimeOffset.UtcNow, "t1", "t2"))).Written.ShouldBeTrue();
            (await sqlite.ConditionalApplyAsync(api.Name, g1, "az1")).Status.ShouldBe(ApplyStatus.Applied);
            var g2 = await sqlite.AllocateGenerationAsync();
            (await sqlite.WritePlanAsync(Specs.Plan(api, g2.Value, DateTimeOffset.UtcNow, "t3"))).Written.ShouldBeTrue();
            (await sqlite.RejectPlanAsync(api.Name, g2, "az2", "capacity floor")).ShouldBeTrue();
            var g3 = await sqlite.AllocateGenerationAsync();
            (await sqlite.WritePlanAsync(Specs.Plan(api, g3.Value, DateTimeOffset.UtcNow, "t2", "t3"))).Written.ShouldBeTrue();
            var g4 = await sqlite.AllocateGenerationAsync();
            (await sqlite.WritePlanAsync(Specs.Plan(web, g4.Value, DateTimeOffset.UtcNow, "t1"))).Written.ShouldBeTrue();
            (await sqlite.ConditionalApplyAsync(web.Name, g4, "az1")).Status.ShouldBe(ApplyStatus.Applied);
            await sqlite.SetFreezeAsync(web.Name, "change window", "ops");
        }

        var result = await CliRun.RunAsync("store", "copy", "--from", "sqlite:" + data.Path, "--to", "etcd:" + url, "--prefix", prefix);

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("copied 1 zones, 2 endpoints, 4 plans, 2 applied states, 1 freezes");
        result.Out.ShouldContain("verified");
        using (var copy = EtcdControlStore.Open(new EtcdControlStoreOptions { Endpoints = [etcd.ClientUrls[0]], Prefix = prefix }, TimeProvider.System))
        {
            var endpoints = (await copy.ReadEndpointsAsync([api.Name, web.Name], EndpointParts.All)).ToDictionary(e => e.Name);
            endpoints[api.Name].Spec.ShouldBe(api);
            endpoints[api.Name].Applied!.Generation.Value.ShouldBe(1);
            endpoints[api.Name].Plans.Select(p => (p.Plan.Generation.Value, p.IsRejected)).ShouldBe([(1, false), (2, true), (3, false)]);
            endpoints[web.Name].Applied!.Records.Ids().ShouldBe(["t1"]);
            (await copy.GetFreezeAsync()).Endpoints.Keys.ShouldBe([web.Name]);
            (await copy.AllocateGenerationAsync()).Value.ShouldBeGreaterThan(4);
            var audit = await copy.ReadAuditAsync(0, 1000);
            audit.ShouldContain(e => e.Action == "plan.rejected" && e.Actor == "az2");
            audit[^1].Action.ShouldBe("store.copied");
        }

        var again = await CliRun.RunAsync("store", "copy", "--from", "sqlite:" + data.Path, "--to", "etcd:" + url, "--prefix", prefix);
        again.Exit.ShouldBe(1, again.ToString());
        again.Error.ShouldContain("already holds zones or endpoints");
    }

    [Theory]
    [InlineData("mysql:/tmp/x", "--from: expected sqlite:DATA_DIRECTORY or etcd:URL")]
    [InlineData("sqlite:/nonexistent-holdfast-dir", "holds no Holdfast store")]
    public async Task Copy_BadSource_ExitsTwoNamingIt(string from, string expected)
    {
        var result = await CliRun.RunAsync("store", "copy", "--from", from, "--to", "etcd:http://127.0.0.1:1");

        result.Exit.ShouldBe(2, result.ToString());
        result.Error.ShouldContain(expected);
    }
}
