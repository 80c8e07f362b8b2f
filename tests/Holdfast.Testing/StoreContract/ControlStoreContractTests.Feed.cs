using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Testing.Builders;

namespace Holdfast.Testing.StoreContract;

/// <summary>Freezes, audit, the ordered change feed (typed, resumable, never splitting a revision, compacted) and durability.</summary>
public abstract partial class ControlStoreContractTests
{
    [Fact]
    public async Task Freeze_SetAndClear_StateAuditAndFeedFollow()
    {
        var before = await Store.GetRevisionAsync();
        await Store.SetFreezeAsync(Api.Name, "investigating", "alice");
        await Store.SetFreezeAsync(null, "all hands", "bob");
        var state = await Store.GetFreezeAsync();
        state.Global!.Reason.ShouldBe("all hands");
        state.Global.Actor.ShouldBe("bob");
        state.Endpoints[Api.Name].Reason.ShouldBe("investigating");
        state.For("web.svc.example.")!.Reason.ShouldBe("all hands");

        await Store.ClearFreezeAsync(null, "ok", "bob");
        await Store.ClearFreezeAsync(Api.Name, "ok", "alice");
        await Store.ClearFreezeAsync(Api.Name, "again", "alice");
        var cleared = await Store.GetFreezeAsync();
        cleared.Global.ShouldBeNull();
        cleared.Endpoints.ShouldBeEmpty();
        (await AuditActionsAsync()).Count(a => a == "freeze.set").ShouldBe(2);
        (await AuditActionsAsync()).Count(a => a == "freeze.cleared").ShouldBe(2);
        (await Store.ReadChangesAsync(before, 100)).Changes.Cast<FreezeChange>().Select(c => (c.Endpoint, c.Frozen))
            .ShouldBe([(Api.Name, true), (null, true), (null, false), (Api.Name, false)]);
    }

    [Fact]
    public async Task Audit_AppendAndReadInPages_InOrder()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.AppendAuditAsync(new AuditEntry(0, Time.GetUtcNow(), "alice", "note", null, "n" + i));
        }

        var batch = await Store.AppendAuditAsync([new AuditEntry(0, Time.GetUtcNow(), "bob", "note", Api.Name, "n5"), new AuditEntry(0, Time.GetUtcNow(), "bob", "note", null, "n6")]);
        batch.Select(b => b.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        var first = await Store.ReadAuditAsync(0, 4);
        first.Count.ShouldBe(4);
        var rest = await Store.ReadAuditAsync(first[^1].Sequence, 100);
        rest.Count.ShouldBe(3);
        first.Concat(rest).Select(a => a.Detail).ShouldBe(["n0", "n1", "n2", "n3", "n4", "n5", "n6"]);
        first.Concat(rest).Select(a => a.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        (await Store.GetLastAuditSequenceAsync()).ShouldBe(rest[^1].Sequence);
        (await Store.GetRevisionAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task ReadAuditFor_NewestFirstOfOneEndpoint()
    {
        var a = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, a.Generation, "az1");
        await NewPlanAsync(Specs.Endpoint("web"), "t1");
        var audit = await Store.ReadAuditForAsync(Api.Name, 10);
        audit.Select(e => e.Action).ShouldBe(["apply.applied", "plan.written", "endpoint.put"]);
        audit.ShouldAllBe(e => e.Endpoint == Api.Name);
        (await Store.ReadAuditForAsync(Api.Name, 1)).ShouldHaveSingleItem().Action.ShouldBe("apply.applied");
    }

    [Fact]
    public async Task EveryMutation_IsAudited()
    {
        var plan = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        await Store.PutEndpointAsync(Api with { Policy = Api.Policy with { Ttl = 9 } }, "alice");
        await Store.PutZoneAsync(Zone(), "alice");
        await Store.SetStaticZoneAsync(Specs.Zone, "d", "alice");
        await Store.ReleaseSelfPreservationAsync(Specs.Zone, "alice", "r");
        await Store.DeleteEndpointAsync(Api.Name, "alice");
        (await AuditActionsAsync()).ShouldBe(["endpoint.put", "plan.written", "apply.applied", "endpoint.put", "zone.put", "zone.static", "self-preservation.released", "endpoint.deleted"]);
    }

    [Fact]
    public async Task ChangeFeed_ResumesFromRevisionInOrder()
    {
        var revisions = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var plan = await NewPlanAsync(i % 2 == 0 ? ["t1"] : ["t2"]);
            revisions.Add((await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1")).Revision);
        }

        revisions.ShouldBeInOrder(SortDirection.Ascending);
        revisions.Distinct().Count().ShouldBe(5);
        var all = (await Store.ReadChangesAsync(0, 1000)).Changes;
        all.Select(c => c.Revision).ShouldBeInOrder(SortDirection.Ascending);
        var page = await Store.ReadChangesAsync(0, 2);
        page.Changes.Count.ShouldBe(2);
        var resumed = await Store.ReadChangesAsync(page.Revision, 1000);
        page.Changes.Concat(resumed.Changes).Select(c => (c.Revision, c.GetType())).ShouldBe(all.Select(c => (c.Revision, c.GetType())));
        resumed.Changes.OfType<AppliedChange>().Last().Records.Ids().ShouldBe(["t1"]);
        resumed.Revision.ShouldBe(await Store.GetRevisionAsync());
        (await Store.ReadChangesAsync(resumed.Revision, 10)).Changes.ShouldBeEmpty();
    }

    [Fact]
    public async Task ChangeFeed_APageNeverSplitsARevision()
    {
        var names = Enumerable.Range(0, 7).Select(i => Specs.Endpoint("e" + i)).ToList();
        await Store.PutEndpointsAsync(names, "config");
        await Store.PutEndpointAsync(Specs.Endpoint("last"), "config");

        var page = await Store.ReadChangesAsync(0, 3);

        page.Changes.Count.ShouldBe(7);
        page.Changes.ShouldAllBe(c => c.Revision == page.Changes[0].Revision);
        page.Revision.ShouldBe(page.Changes[0].Revision);
        (await Store.ReadChangesAsync(page.Revision, 3)).Changes.ShouldHaveSingleItem().ShouldBeOfType<EndpointPutChange>().Spec.Name.ShouldBe("last." + Specs.Zone);
    }

    [Fact]
    public async Task ChangeFeed_CarriesWhatAFollowerNeedsOfEveryKind()
    {
        await Store.PutZoneAsync(Zone(), "config");
        var plan = await NewPlanAsync("t1");
        await Store.RejectPlanAsync(Api.Name, plan.Generation, "az1", "bad");
        var good = await NewPlanAsync("t2");
        await Store.ConditionalApplyAsync(Api.Name, good.Generation, "az1");
        await Store.SetStaticZoneAsync(Specs.Zone, "d", "config");
        await Store.DeleteEndpointAsync(Api.Name, "config");
        await Store.DeleteZoneAsync(Specs.Zone, "config");

        var kinds = (await Store.ReadChangesAsync(0, 1000)).Changes.Select(c => c.GetType().Name);
        kinds.ShouldBe([
            nameof(ZonePutChange), nameof(EndpointPutChange), nameof(PlanWrittenChange), nameof(PlanRejectedChange), nameof(PlanWrittenChange),
            nameof(AppliedChange), nameof(StaticZoneChange), nameof(EndpointDeletedChange), nameof(ZoneDeletedChange),
        ]);
    }

    [Fact]
    public async Task ChangeFeed_CompactedRevision_SaysSoAndGivesTheRevisionToResumeFrom()
    {
        for (var i = 0; i < 4; i++)
        {
            await NewPlanAsync("t" + (1 + (i % 3)));
        }

        var current = await Store.GetRevisionAsync();
        await CompactChangesAsync(Store, current - 1);

        var behind = await Store.ReadChangesAsync(1, 100);
        behind.Compacted.ShouldBeTrue();
        behind.Changes.ShouldBeEmpty();
        behind.Revision.ShouldBe(current);
        var edge = await Store.ReadChangesAsync(current - 1, 100);
        edge.Compacted.ShouldBeFalse();
        edge.Changes.ShouldHaveSingleItem().Revision.ShouldBe(current);
    }

    [Fact]
    public async Task WaitForChange_CompletesWhenAChangeArrives()
    {
        var plan = await NewPlanAsync("t1");
        var wait = Store.WaitForChangeAsync(await Store.GetRevisionAsync(), TimeSpan.FromHours(1));
        wait.IsCompleted.ShouldBeFalse();
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForChange_ChangeAlreadyThere_CompletesAtOnce()
    {
        var plan = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        await Store.WaitForChangeAsync(0, TimeSpan.FromHours(1)).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForChange_NoChange_CompletesAfterMaxWaitOnTheStoreClock()
    {
        var store = Store;
        var armedBefore = Time.ArmedTimers;
        var wait = store.WaitForChangeAsync(0, TimeSpan.FromSeconds(30));

        // Once the store's max-wait timer is armed (etcd reads the revision first), nothing but the clock can end the wait.
        (await ExternalTool.WaitUntilAsync(() => Task.FromResult(Time.ArmedTimers > armedBefore || wait.IsCompleted), TimeSpan.FromSeconds(10)))
            .ShouldBeTrue("the store never armed its max-wait timer");
        wait.IsCompleted.ShouldBeFalse();
        Time.Advance(TimeSpan.FromSeconds(31));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ConcurrentWriters_AllAcknowledgedAndLinearizable()
    {
        // Many callers at once (the store may commit them in groups): every acknowledged write is there, in one order.
        var specs = Enumerable.Range(0, 40).Select(i => Specs.Endpoint("c" + i)).ToList();
        var store = Store;
        var outcomes = await Task.WhenAll(specs.Select(s => Task.Run(() => store.PutEndpointAsync(s, "writer"))));
        outcomes.ShouldAllBe(o => o == EndpointWriteOutcome.Created);
        var puts = (await Store.ReadChangesAsync(0, 1000)).Changes.OfType<EndpointPutChange>().ToList();
        puts.Select(p => p.Spec.Name).Order(StringComparer.Ordinal).ShouldBe(specs.Select(s => s.Name).Order(StringComparer.Ordinal));
        puts.Select(p => p.Revision).Distinct().Count().ShouldBe(40);
        (await Store.CountEndpointsAsync()).ShouldBe(40);
    }

    [Fact]
    public async Task Reopen_KeepsEverythingAcknowledged()
    {
        var plan = await NewPlanAsync("t1", "t2");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        await Store.SetFreezeAsync(Api.Name, "hold", "alice");
        await Store.PutZoneAsync(Zone(), "alice");
        await Store.SetStaticZoneAsync(Specs.Zone, "d1", "alice");
        await Store.ReleaseSelfPreservationAsync(Specs.Zone, "alice", "r");
        var revision = await Store.GetRevisionAsync();
        var serial = (await Store.ListZonesAsync()).Single().Serial;

        _store = Reopen(Store, Time);

        (await Store.GetAppliedAsync(Api.Name))!.Generation.ShouldBe(plan.Generation);
        (await Store.GetAppliedAsync(Api.Name))!.Records.Ids().ShouldBe(["t1", "t2"]);
        (await Store.GetFreezeAsync()).For(Api.Name).ShouldNotBeNull();
        (await Store.ListAllEndpointsAsync()).ShouldHaveSingleItem().Name.ShouldBe(Api.Name);
        (await Store.ReadChangesAsync(0, 100)).Changes.OfType<AppliedChange>().ShouldHaveSingleItem().Generation.ShouldBe(plan.Generation);
        (await Store.GetRevisionAsync()).ShouldBe(revision);
        var zone = (await Store.ListZonesAsync()).Single();
        (zone.Serial, zone.StaticDigest).ShouldBe((serial, "d1"));
        (await Store.GetSelfPreservationReleasesAsync()).Keys.ShouldContain(Specs.Zone);
        (await Store.AllocateGenerationAsync()).ShouldBeGreaterThan(plan.Generation);
    }
}
