using System.Collections.Immutable;
using System.Net;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Testing.Builders;

namespace Holdfast.Testing.StoreContract;

/// <summary>Desired state: endpoints (point reads, pages, batches, delete then re-create), zones, zone files, and the serving revision every serial derives from.</summary>
public abstract partial class ControlStoreContractTests
{
    [Fact]
    public async Task PutEndpoint_RoundTripsEveryFieldIncludingHealthChecks()
    {
        var spec = new EndpointSpec(
            "mixed.svc.example.",
            Specs.Zone,
            new EndpointPolicy(Ttl: 30, MaxAnswers: 2, CapacityFloor: 0.3, VelocityLimit: 0.2, VelocityWindow: TimeSpan.FromMinutes(7), FailOpen: false),
            [
                new Target("v4", IPAddress.Parse("127.0.0.9"), "az2", 3, 40, TargetAdminState.Drained, new HealthCheck { Kind = HealthCheckKind.Http, Url = new Uri("http://127.0.0.9:8080/health"), Sources = ["a", "b"], Quorum = 2 }),
                new Target("v6", IPAddress.IPv6Loopback, "az3", 1, 5, HealthCheck: new HealthCheck { Kind = HealthCheckKind.Tcp, Port = 443 }),
            ]);
        (await Store.PutEndpointAsync(spec, "alice")).ShouldBe(EndpointWriteOutcome.Created);
        var stored = (await Store.ListAllEndpointsAsync()).ShouldHaveSingleItem();
        stored.ShouldBe(spec);
        stored.Targets[0].HealthCheck!.Sources.ShouldBe(["a", "b"]);
        (await Store.GetEndpointAsync(spec.Name)).ShouldBe(spec);
        (await Store.DeleteEndpointAsync(spec.Name, "alice")).ShouldBeTrue();
        (await Store.DeleteEndpointAsync(spec.Name, "alice")).ShouldBeFalse();
        (await Store.ListAllEndpointsAsync()).ShouldBeEmpty();
        (await Store.CountEndpointsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task PutEndpoints_SameSpecAgain_IsUnchangedWithoutRevisionOrAudit()
    {
        (await Store.PutEndpointAsync(Api, "config")).ShouldBe(EndpointWriteOutcome.Created);
        var revision = await Store.GetRevisionAsync();
        var audit = (await AuditActionsAsync()).Count;

        var outcomes = await Store.PutEndpointsAsync([Api with { Targets = [.. Api.Targets] }, Api with { Policy = Api.Policy with { Ttl = 5 } }], "config");

        outcomes.ShouldBe([EndpointWriteOutcome.Unchanged, EndpointWriteOutcome.Updated]);
        (await Store.GetRevisionAsync()).ShouldBe(revision + 1);
        (await AuditActionsAsync()).Count.ShouldBe(audit + 1);
        var put = (await Store.ReadChangesAsync(revision, 10)).Changes.ShouldHaveSingleItem().ShouldBeOfType<EndpointPutChange>();
        put.Spec.Policy.Ttl.ShouldBe(5);
        put.Created.ShouldBeFalse();
    }

    [Fact]
    public async Task ReadEndpoints_PointReads_ReturnOnlyThePartsAskedForInOrder()
    {
        var plan = await NewPlanAsync("t1", "t2");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");

        var read = await Store.ReadEndpointsAsync(["missing.svc.example.", Api.Name], EndpointParts.Applied);

        read.Select(r => r.Name).ShouldBe(["missing.svc.example.", Api.Name]);
        read[0].ShouldBe(new StoredEndpoint("missing.svc.example.", null, null, []), new StoredEndpointComparer());
        read[1].Spec.ShouldBeNull();
        read[1].Plans.ShouldBeEmpty();
        read[1].Applied!.Generation.ShouldBe(plan.Generation);
        var all = await Store.ReadEndpointAsync(Api.Name);
        all.Spec.ShouldBe(Api);
        all.Plans.ShouldHaveSingleItem().Plan.Generation.ShouldBe(plan.Generation);
        all.LatestValidPlan!.Plan.Generation.ShouldBe(plan.Generation);
    }

    [Fact]
    public async Task ReadEndpoints_LatestPlan_ReturnsOnlyTheNewestPlanNoEnactorRejected()
    {
        var first = await NewPlanAsync("t1", "t2");
        await Store.ConditionalApplyAsync(Api.Name, first.Generation, "az1");
        var second = await NewPlanAsync("t1");
        var third = await NewPlanAsync("t2");
        (await Store.RejectPlanAsync(Api.Name, third.Generation, "az1", "test: refused")).ShouldBeTrue();

        var latest = (await Store.ReadEndpointsAsync([Api.Name, "missing.svc.example."], EndpointParts.LatestPlan)).ToList();

        latest[0].Plans.ShouldHaveSingleItem().Plan.Generation.ShouldBe(second.Generation);
        latest[0].Spec.ShouldBeNull();
        latest[1].Plans.ShouldBeEmpty();
        var listed = (await Store.ListEndpointsAsync(null, 10, EndpointParts.Spec | EndpointParts.LatestPlan)).Items.Single(e => e.Name == Api.Name);
        listed.Plans.ShouldHaveSingleItem().Plan.Generation.ShouldBe(second.Generation);
        (await Store.ReadEndpointsAsync([Api.Name], EndpointParts.Plans | EndpointParts.LatestPlan))[0].Plans.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ListEndpoints_PagesInOrdinalOrderWithTheirParts()
    {
        var names = new[] { "c", "a", "e", "b", "d" };
        await Store.PutEndpointsAsync([.. names.Select(n => Specs.Endpoint(n))], "test");
        var plan = await NewPlanAsync(Specs.Endpoint("b"), "t1");

        var seen = new List<StoredEndpoint>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await Store.ListEndpointsAsync(after, 2, EndpointParts.Spec | EndpointParts.Plans);
            page.Items.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Items);
            after = page.Next;
            pages++;
        }
        while (after is not null);

        pages.ShouldBe(3);
        seen.Select(s => s.Name).ShouldBe(new[] { "a", "b", "c", "d", "e" }.Select(n => $"{n}.{Specs.Zone}"));
        seen.ShouldAllBe(s => s.Spec != null && s.Applied == null);
        seen[1].Plans.ShouldHaveSingleItem().Plan.Generation.ShouldBe(plan.Generation);
        (await Store.CountEndpointsAsync()).ShouldBe(5);
    }

    [Fact]
    public async Task DeleteEndpoint_DeletesPlansAppliedStateAndFreezeInOneAuditedTransaction()
    {
        var plan = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        await NewPlanAsync("t2");
        await Store.SetFreezeAsync(Api.Name, "hold", "alice");
        var before = await Store.GetRevisionAsync();

        (await Store.DeleteEndpointAsync(Api.Name, "alice")).ShouldBeTrue();

        (await Store.GetRevisionAsync()).ShouldBe(before + 1);
        var stored = await Store.ReadEndpointAsync(Api.Name);
        (stored.Spec, stored.Applied, stored.Plans.Count).ShouldBe((null, null, 0));
        (await Store.GetPlanAsync(Api.Name, plan.Generation)).ShouldBeNull();
        (await Store.GetFreezeAsync()).For(Api.Name).ShouldBeNull();
        (await Store.ListPendingAsync(null, 10)).Items.ShouldBeEmpty();
        (await Store.ReadChangesAsync(before, 10)).Changes.ShouldHaveSingleItem().ShouldBe(new EndpointDeletedChange(before + 1, Api.Name, Api.Zone));
        var audit = (await Store.ReadAuditForAsync(Api.Name, 1)).ShouldHaveSingleItem();
        (audit.Action, audit.Actor).ShouldBe(("endpoint.deleted", "alice"));
        (await Store.ReadServingStateAsync()).Endpoints.ShouldBeEmpty();
    }

    [Fact]
    public async Task DeleteThenRecreate_StartsClean_NoOldRecordsNoVelocityHistory()
    {
        var old = await NewPlanAsync("t1", "t2", "t3");
        await Store.ConditionalApplyAsync(Api.Name, old.Generation, "az1");
        var removal = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, removal.Generation, "az1");

        await Store.DeleteEndpointAsync(Api.Name, "alice");
        (await Store.PutEndpointAsync(Api, "alice")).ShouldBe(EndpointWriteOutcome.Created);

        var stored = await Store.ReadEndpointAsync(Api.Name);
        stored.Applied.ShouldBeNull();
        stored.Plans.ShouldBeEmpty();
        (await Store.ReadServingStateAsync()).Endpoints.ShouldHaveSingleItem().Records.ShouldBeEmpty();

        // An apply of a plan of the old incarnation finds nothing to apply.
        (await Store.ConditionalApplyAsync(Api.Name, removal.Generation, "az2")).Status.ShouldBe(ApplyStatus.Rejected);
        var fresh = await NewPlanAsync("t2");
        fresh.Generation.ShouldBeGreaterThan(removal.Generation);
        (await Store.ConditionalApplyAsync(Api.Name, fresh.Generation, "az1")).Status.ShouldBe(ApplyStatus.Applied);
        (await Store.ListPlansAsync(Api.Name)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task ListAlarms_NamesEndpointsWhoseNewestValidPlanCarriesAFiredAlarm()
    {
        var web = Specs.Endpoint("web");
        await EnsureEndpointAsync(Api);
        await EnsureEndpointAsync(web);
        var failOpen = new GuardrailDecision(GuardrailNames.FailOpen, GuardrailVerdict.Adjusted, "all down", Alarm: true);
        var g = await Store.AllocateGenerationsAsync(3);
        await Store.WritePlansAsync([
            new PlanWrite(Specs.Plan(Api, g.Value, Time.GetUtcNow(), "t1") with { Decisions = [failOpen] }),
            new PlanWrite(Specs.Plan(web, g.Value + 1, Time.GetUtcNow(), "t1") with { Decisions = [failOpen] }),
        ]);
        (await Store.ListAlarmsAsync(10)).Select(p => p.Plan.Endpoint).ShouldBe([Api.Name, web.Name]);

        // A newer plan without the alarm clears it; a rejected newer plan does not.
        await Store.WritePlanAsync(Specs.Plan(web, g.Value + 2, Time.GetUtcNow(), "t1", "t2"));
        var rejected = await NewPlanAsync("t2");
        await Store.RejectPlanAsync(Api.Name, rejected.Generation, "az1", "bad");
        (await Store.ListAlarmsAsync(10)).ShouldHaveSingleItem().Plan.Generation.ShouldBe(g);
    }

    [Fact]
    public async Task PutZone_RoundTripsReplacesAndUnchangedIsANoOp()
    {
        var zone = new ZoneSpec("svc.example.", new SoaValues("ns1.svc.example.", "hostmaster.svc.example.", 100, 20, 3000, 30), ["ns1.svc.example.", "ns2.svc.example."], 300);
        await Store.PutZoneAsync(zone, "alice");
        await Store.PutZoneAsync(zone with { DefaultTtl = 60 }, "alice");
        var revision = await Store.GetRevisionAsync();
        await Store.PutZoneAsync(zone with { DefaultTtl = 60, NameServers = [.. zone.NameServers] }, "alice");
        (await Store.GetRevisionAsync()).ShouldBe(revision);
        var stored = (await Store.ListZonesAsync()).ShouldHaveSingleItem().Spec;
        stored.Soa.ShouldBe(zone.Soa);
        stored.NameServers.ShouldBe(zone.NameServers);
        stored.DefaultTtl.ShouldBe(60);
        (await Store.DeleteZoneAsync(zone.Apex, "alice")).ShouldBeTrue();
        (await Store.ListZonesAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task ServingRevision_MovesOnEveryChangeOfServedData()
    {
        // The serial of a zone is derived from this revision: a secondary sees every change of what the zone serves.
        var other = Zone("other.example.");
        await Store.PutZoneAsync(Zone(), "config");
        await Store.PutZoneAsync(other, "config");
        var serials = new List<uint> { await SerialAsync() };
        async Task Moved(Func<Task> change)
        {
            await change();
            var serial = await SerialAsync();
            serial.ShouldBeGreaterThan(serials[^1]);
            serials.Add(serial);
        }

        await Moved(() => Store.PutEndpointAsync(Api, "config"));                                           // created
        var plan = await NewPlanAsync("t1");
        await Moved(() => Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1"));                  // applied
        await Moved(() => Store.PutEndpointAsync(Api with { Policy = Api.Policy with { Ttl = 7 } }, "c")); // TTL
        await Moved(() => Store.PutEndpointAsync(Api with { Policy = Api.Policy with { Ttl = 7, MaxAnswers = 1 } }, "c"));
        await Moved(() => Store.PutZoneAsync(Zone() with { NameServers = ["ns1.svc.example.", "ns2.svc.example."] }, "c")); // NS
        await Moved(() => Store.PutZoneAsync(Zone() with { NameServers = ["ns1.svc.example.", "ns2.svc.example."], Soa = new SoaValues("ns2.svc.example.", "h.svc.example.") }, "c")); // SOA
        await Moved(() => Store.SetStaticZoneAsync(Specs.Zone, "digest-1", "config"));                   // zone files
        await Moved(() => Store.SetStaticZoneAsync(Specs.Zone, "digest-2", "config"));
        await Moved(() => Store.DeleteEndpointAsync(Api.Name, "c"));                                        // deleted

        // A change elsewhere does not move it, and nothing that changes nothing does.
        var before = await SerialAsync();
        await Store.PutEndpointAsync(Specs.Endpoint("api", 3) with { Name = "api.other.example.", Zone = other.Apex }, "c");
        await Store.SetStaticZoneAsync(Specs.Zone, "digest-2", "config");
        await Store.PutZoneAsync(Zone() with { NameServers = ["ns1.svc.example.", "ns2.svc.example."], Soa = new SoaValues("ns2.svc.example.", "h.svc.example.") }, "c");
        (await SerialAsync()).ShouldBe(before);

        async Task<uint> SerialAsync() => (await Store.ListZonesAsync()).Single(z => z.Spec.Apex == Specs.Zone).Serial;
    }

    [Fact]
    public async Task ServingRevision_EndpointMovedBetweenZones_MovesBoth()
    {
        var other = Zone("other.example.");
        await Store.PutZoneAsync(Zone(), "config");
        await Store.PutZoneAsync(other, "config");
        await Store.PutEndpointAsync(Api, "config");
        var zones = (await Store.ListZonesAsync()).ToDictionary(z => z.Spec.Apex, z => z.ServingRevision);

        await Store.PutEndpointAsync(Api with { Zone = other.Apex }, "config");

        var after = (await Store.ListZonesAsync()).ToDictionary(z => z.Spec.Apex, z => z.ServingRevision);
        after[Specs.Zone].ShouldBeGreaterThan(zones[Specs.Zone]);
        after[other.Apex].ShouldBeGreaterThan(zones[other.Apex]);
        var put = (await Store.ReadChangesAsync(zones.Values.Max(), 10)).Changes.ShouldHaveSingleItem().ShouldBeOfType<EndpointPutChange>();
        put.PreviousZone.ShouldBe(Specs.Zone);
    }

    [Fact]
    public async Task SetStaticZone_CountsChangesOfTheDigestAndKeepsThemAcrossDeleteOfTheZone()
    {
        await Store.PutZoneAsync(Zone(), "config");
        (await Store.SetStaticZoneAsync(Specs.Zone, "d1", "config")).ShouldBe(new StaticZoneVersion(Specs.Zone, "d1", 0, Changed: true));
        (await Store.SetStaticZoneAsync(Specs.Zone, "d1", "config")).Changed.ShouldBeFalse();
        (await Store.SetStaticZoneAsync(Specs.Zone, "d2", "config")).Changes.ShouldBe(1);
        var zone = (await Store.ListZonesAsync()).ShouldHaveSingleItem();
        (zone.StaticDigest, zone.StaticChanges).ShouldBe(("d2", 1));
        (await AuditActionsAsync()).Count(a => a == "zone.static").ShouldBe(2);

        var serial = zone.Serial;
        await Store.DeleteZoneAsync(Specs.Zone, "config");
        await Store.PutZoneAsync(Zone(), "config");
        var recreated = (await Store.ListZonesAsync()).ShouldHaveSingleItem();
        recreated.Serial.ShouldBeGreaterThan(serial);
        recreated.StaticChanges.ShouldBe(1);
    }

    [Fact]
    public async Task ReadServingState_IsEveryZoneAndEndpointAtOneRevision()
    {
        await Store.PutZoneAsync(Zone(), "config");
        var plan = await NewPlanAsync("t1", "t2");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        var web = Specs.Endpoint("web", policy: EndpointPolicy.Default with { Ttl = 9, MaxAnswers = 1 });
        await Store.PutEndpointAsync(web, "config");

        var state = await Store.ReadServingStateAsync();

        state.Revision.ShouldBe(await Store.GetRevisionAsync());
        state.Zones.ShouldHaveSingleItem().ServingRevision.ShouldBe(state.Revision);
        state.Endpoints.Select(e => e.Name).ShouldBe([Api.Name, web.Name]);
        state.Endpoints[0].Generation.ShouldBe(plan.Generation);
        state.Endpoints[0].Records.Ids().ShouldBe(["t1", "t2"]);
        state.Endpoints[1].ShouldBe(new ServedEndpoint(web.Name, web.Zone, 9, 1, Generation.None, ImmutableArray<PlanRecord>.Empty), new ServedEndpointComparer());
    }

    [Fact]
    public async Task ReleaseSelfPreservation_IsStoredAuditedAndFed()
    {
        var before = await Store.GetRevisionAsync();
        await Store.ReleaseSelfPreservationAsync(Specs.Zone, "alice", "monitors fixed");
        (await Store.GetSelfPreservationReleasesAsync())[Specs.Zone].ShouldBe(Time.GetUtcNow());
        (await Store.ReadChangesAsync(before, 10)).Changes.ShouldHaveSingleItem().ShouldBe(new SelfPreservationReleasedChange(before + 1, Specs.Zone, Time.GetUtcNow()));
        var audit = (await Store.ReadAuditForAsync(Specs.Zone, 1)).ShouldHaveSingleItem();
        (audit.Action, audit.Actor, audit.Detail).ShouldBe(("self-preservation.released", "alice", "monitors fixed"));
    }

    private sealed class StoredEndpointComparer : IEqualityComparer<StoredEndpoint>
    {
        public bool Equals(StoredEndpoint? x, StoredEndpoint? y) =>
            x is not null && y is not null && x.Name == y.Name && Equals(x.Spec, y.Spec) && Equals(x.Applied, y.Applied) && x.Plans.Count == y.Plans.Count;

        public int GetHashCode(StoredEndpoint obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class ServedEndpointComparer : IEqualityComparer<ServedEndpoint>
    {
        public bool Equals(ServedEndpoint? x, ServedEndpoint? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Zone == y.Zone && x.Ttl == y.Ttl && x.MaxAnswers == y.MaxAnswers &&
            x.Generation == y.Generation && x.Records.SequenceEqual(y.Records);

        public int GetHashCode(ServedEndpoint obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
