using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Serving;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Names;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.ControlPlane.Tests.Serving;

/// <summary>
/// The zone feed patches only what changed: after any sequence of store changes it serves exactly what a feed loading
/// the store afresh serves, under the same serial, with the IXFR step of each change. (The store refuses an empty apply;
/// the last good answer rule against a store that allows one is tested through the simulator's DnsAnswerSource.)
/// </summary>
public sealed class ZoneFeedTests
{
    private static readonly ZoneSpec s_zone = new(Specs.Zone, new SoaValues("ns1.svc.example.", "hostmaster.svc.example."), ["ns1.svc.example."]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.Zero));
    private readonly InMemoryControlStore _store;
    private readonly QueryEngine _engine = new();
    private readonly ZoneFeed _feed;

    public ZoneFeedTests()
    {
        _store = new InMemoryControlStore(_time);
        _feed = new ZoneFeed(_store, _engine, _time, new Random(7));
    }

    [Fact]
    public async Task CatchUp_AnySequenceOfChanges_ServesWhatAFreshLoadServes()
    {
        await _store.PutZoneAsync(s_zone, "test");
        var endpoints = Enumerable.Range(0, 20).Select(i => Specs.Endpoint("e" + i)).ToList();
        foreach (var endpoint in endpoints)
        {
            await _store.PutEndpointAsync(endpoint, "test");
            await ApplyAsync(endpoint, "t1", "t2");
        }

        var statics = Statics("www.svc.example. 300 IN A 127.0.0.30", "e3.svc.example. 300 IN A 127.0.0.99", "e3.svc.example. 300 IN TXT \"e3\"");
        await _feed.SetStaticAsync(new Dictionary<string, StaticZoneRecords>(StringComparer.Ordinal) { [Specs.Zone] = statics });
        await _store.SetStaticZoneAsync(Specs.Zone, statics.Digest, "test");
        await _feed.CatchUpAsync();
        var random = new Random(3);
        for (var step = 0; step < 60; step++)
        {
            var endpoint = endpoints[random.Next(endpoints.Count)];
            switch (random.Next(5))
            {
                case 0:
                    await _store.PutEndpointAsync(endpoint with { Policy = endpoint.Policy with { Ttl = 30 + random.Next(3) } }, "test");
                    break;
                case 1:
                    await _store.DeleteEndpointAsync(endpoint.Name, "test");
                    break;
                case 2:
                    await _store.PutEndpointAsync(endpoint, "test");
                    break;
                case 3:
                    await _store.PutZoneAsync(s_zone with { DefaultTtl = 3000 + random.Next(3) }, "test");
                    break;
                default:
                    await ApplyAsync(endpoint, random.Next(2) == 0 ? ["t3"] : ["t1", "t2", "t3"]);
                    break;
            }

            var before = _engine.Zones.Find(Specs.Zone)!;
            await _feed.CatchUpAsync();
            var served = _engine.Zones.Find(Specs.Zone)!;
            var fresh = await FreshAsync(statics);
            served.Serial.ShouldBe(fresh.Serial);
            Text(ZoneContent.Records(served)).ShouldBe(Text(ZoneContent.Records(fresh)));
            served.FindNode(WireName.FromText("e3.svc.example."))!.ContainsKey(DnsType.A).ShouldBe(served.FindEndpoint(WireName.FromText("e3.svc.example.")) is null);
            if (served.Serial != before.Serial)
            {
                var (deleted, added) = ZoneContent.Difference(before, served);
                Text(served.Change!.Deleted).ShouldBe(Text(deleted));
                Text(served.Change.Added).ShouldBe(Text(added));
            }
        }
    }

    [Fact]
    public async Task Apply_OneEndpoint_TheJournalStepHoldsOnlyItsRecords()
    {
        using var transfers = new ZoneTransferHandler(_engine, new ZoneTransferOptions(), _time);
        var api = Specs.Endpoint();
        await _store.PutZoneAsync(s_zone, "test");
        await _store.PutEndpointAsync(api, "test");
        await _store.PutEndpointAsync(Specs.Endpoint("web"), "test");
        await ApplyAsync(api, "t1", "t2");
        await ApplyAsync(Specs.Endpoint("web"), "t1");
        await _feed.CatchUpAsync();
        var serial = _engine.Zones.Find(Specs.Zone)!.Serial;

        await ApplyAsync(api, "t2", "t3");
        await _feed.CatchUpAsync();

        var zone = _engine.Zones.Find(Specs.Zone)!;
        zone.Serial.ShouldBeGreaterThan(serial);
        transfers.Journal.TryGetChanges(zone.Apex, serial, out var steps, out _).ShouldBeTrue();
        var step = steps.ShouldHaveSingleItem();
        step.ShouldBeSameAs(zone.Change);
        Text(step.Deleted).ShouldBe(["api.svc.example. 60 TYPE1 7F000001"]);
        Text(step.Added).ShouldBe(["api.svc.example. 60 TYPE1 7F000003"]);
    }

    private async Task ApplyAsync(EndpointSpec endpoint, params string[] targets)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        var generation = await _store.AllocateGenerationAsync();
        var plan = Specs.Plan(endpoint, generation.Value, _time.GetUtcNow(), targets) with { InputsHash = "h" + generation.Value };
        (await _store.WritePlanAsync(plan)).Written.ShouldBeTrue();
        await _store.ConditionalApplyAsync(endpoint.Name, plan.Generation, "az1");
    }

    private async Task<ZoneSnapshot> FreshAsync(StaticZoneRecords statics)
    {
        var engine = new QueryEngine();
        var feed = new ZoneFeed(_store, engine, _time, new Random(1));
        await feed.SetStaticAsync(new Dictionary<string, StaticZoneRecords>(StringComparer.Ordinal) { [Specs.Zone] = statics });
        await feed.LoadAsync();
        return engine.Zones.Find(Specs.Zone)!;
    }

    private static StaticZoneRecords Statics(params string[] lines)
    {
        MasterFileReader.TryReadRecords(string.Join('\n', lines), "test.zone", Specs.Zone, out var records, out var errors).ShouldBeTrue(string.Join("; ", errors));
        return new StaticZoneRecords(records);
    }

    private static List<string> Text(IEnumerable<TransferRecord> records) => [.. records.Select(r => r.ToString())];
}
