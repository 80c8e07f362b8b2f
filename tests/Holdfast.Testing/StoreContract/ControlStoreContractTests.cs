using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing.Builders;

namespace Holdfast.Testing.StoreContract;

/// <summary>
/// The control store contract (ARCHITECTURE.md), one test per clause. Every store implementation subclasses
/// this class; durable stores also implement <see cref="Reopen"/> so that the durability clauses run.
/// </summary>
public abstract class ControlStoreContractTests : IDisposable
{
    private IControlStore? _store;

    protected ManualTimeProvider Time { get; } = new();

    protected EndpointSpec Api { get; } = Specs.Endpoint("api", targets: 4);

    protected IControlStore Store => _store ??= CreateStore(Time);

    /// <summary>Creates an empty store on <paramref name="time"/>.</summary>
    protected abstract IControlStore CreateStore(TimeProvider time);

    /// <summary>Closes the store and opens it again on the same data; stores without durability return the same instance.</summary>
    protected abstract IControlStore Reopen(IControlStore store, TimeProvider time);

    public void Dispose()
    {
        (_store as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }

    // ---- generations -------------------------------------------------------------------------------

    [Fact]
    public async Task AllocateGeneration_Repeatedly_StrictlyIncreases()
    {
        var seen = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            seen.Add((await Store.AllocateGenerationAsync()).Value);
        }

        seen.ShouldBeInOrder(SortDirection.Ascending);
        seen.Distinct().Count().ShouldBe(20);
        seen[0].ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task AllocateGeneration_AfterReopen_NeverReusesANumber()
    {
        var before = await Store.AllocateGenerationAsync();
        _store = Reopen(Store, Time);
        (await Store.AllocateGenerationAsync()).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task AllocateGeneration_ConcurrentCallers_AllDistinct()
    {
        var store = Store;
        var all = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.AllocateGenerationAsync())));
        all.Distinct().Count().ShouldBe(50);
    }

    // ---- plans -------------------------------------------------------------------------------------

    [Fact]
    public async Task WritePlan_NewerGeneration_IsStoredWithEveryField()
    {
        var plan = await NewPlanAsync("t1", "t2") with { };
        var stored = (await Store.GetPlanAsync(Api.Name, plan.Generation))!;
        stored.Plan.Endpoint.ShouldBe(plan.Endpoint);
        stored.Plan.Records.ShouldBe(plan.Records);
        stored.Plan.Reason.ShouldBe(plan.Reason);
        stored.Plan.InputsHash.ShouldBe(plan.InputsHash);
        stored.Plan.CreatedAt.ShouldBe(plan.CreatedAt);
        stored.IsRejected.ShouldBeFalse();
        stored.WasApplied.ShouldBeFalse();
    }

    [Fact]
    public async Task WritePlan_RoundTripsDecisionsOriginAndOverride()
    {
        var g = await Store.AllocateGenerationAsync();
        var plan = Specs.Plan(Api, g.Value, Time.GetUtcNow(), "t1") with
        {
            Decisions = [new(Holdfast.ControlPlane.Guardrails.GuardrailNames.CapacityFloor, Holdfast.ControlPlane.Guardrails.GuardrailVerdict.Overridden, "drill", Alarm: true)],
            Origin = PlanOrigin.Rollback,
            Override = "drill",
        };
        (await Store.WritePlanAsync(plan)).Written.ShouldBeTrue();
        var stored = (await Store.GetPlanAsync(Api.Name, g))!.Plan;
        stored.Decisions.ShouldBe(plan.Decisions);
        stored.Origin.ShouldBe(PlanOrigin.Rollback);
        stored.Override.ShouldBe("drill");
    }

    [Fact]
    public async Task WritePlan_GenerationNotAboveLatest_IsRefusedAndChangesNothing()
    {
        var first = await NewPlanAsync("t1");
        var older = Specs.Plan(Api, first.Generation.Value, Time.GetUtcNow(), "t2");
        var outcome = await Store.WritePlanAsync(older);
        outcome.Written.ShouldBeFalse();
        outcome.Latest.ShouldBe(first.Generation);
        (await Store.GetPlanAsync(Api.Name, first.Generation))!.Plan.Records.Ids().ShouldBe(["t1"]);
    }

    [Fact]
    public async Task WritePlan_GenerationNotAboveApplied_IsRefused()
    {
        var plan = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        await Store.CleanupAsync(Api.Name, 0, TimeSpan.Zero);
        (await Store.WritePlanAsync(Specs.Plan(Api, plan.Generation.Value, Time.GetUtcNow(), "t2"))).Written.ShouldBeFalse();
    }

    [Fact]
    public async Task WritePlan_RefusedOnUnknownEndpoint_EndpointStaysUnknown()
    {
        (await Store.WritePlanAsync(Specs.Plan(Api, 0, Time.GetUtcNow(), "t1"))).Written.ShouldBeFalse();
        (await Store.ListPlannedEndpointsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListPlans_ReturnsOldestFirst()
    {
        var a = await NewPlanAsync("t1");
        var b = await NewPlanAsync("t2");
        var c = await NewPlanAsync("t3");
        (await Store.ListPlansAsync(Api.Name)).Select(p => p.Plan.Generation).ShouldBe([a.Generation, b.Generation, c.Generation]);
        (await Store.ListPlansAsync("other.svc.example.")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListPlannedEndpoints_NamesEndpointsWithPlansInOrdinalOrder()
    {
        var web = Specs.Endpoint("web");
        await NewPlanAsync("t1");
        var g = await Store.AllocateGenerationAsync();
        await Store.WritePlanAsync(Specs.Plan(web, g.Value, Time.GetUtcNow(), "t1"));
        (await Store.ListPlannedEndpointsAsync()).ShouldBe([Api.Name, web.Name]);
    }

    [Fact]
    public async Task RejectPlan_UnappliedPlan_MarksItAndAudits()
    {
        var plan = await NewPlanAsync("t1");
        (await Store.RejectPlanAsync(Api.Name, plan.Generation, "az1", "below floor")).ShouldBeTrue();
        (await Store.GetPlanAsync(Api.Name, plan.Generation))!.RejectedReason.ShouldBe("below floor");
        (await Store.RejectPlanAsync(Api.Name, plan.Generation, "az1", "again")).ShouldBeFalse();
        (await AuditActionsAsync()).ShouldContain("plan.rejected");
    }

    [Fact]
    public async Task RejectPlan_AppliedOrMissingPlan_ReturnsFalse()
    {
        var plan = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        (await Store.RejectPlanAsync(Api.Name, plan.Generation, "az1", "late")).ShouldBeFalse();
        (await Store.RejectPlanAsync(Api.Name, new Generation(999), "az1", "missing")).ShouldBeFalse();
    }

    // ---- the fence ---------------------------------------------------------------------------------

    [Fact]
    public async Task ConditionalApply_NewerPlan_MakesRecordsLiveAndRecordsWho()
    {
        var plan = await NewPlanAsync("t1", "t2");
        var outcome = await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        outcome.Status.ShouldBe(ApplyStatus.Applied);
        outcome.Current.ShouldBe(plan.Generation);
        var applied = (await Store.GetAppliedAsync(Api.Name))!;
        applied.Generation.ShouldBe(plan.Generation);
        applied.Records.Ids().ShouldBe(["t1", "t2"]);
        applied.AppliedBy.ShouldBe("az1");
        applied.AppliedAt.ShouldBe(Time.GetUtcNow());
        applied.Revision.ShouldBe(outcome.Revision);
        (await Store.GetPlanAsync(Api.Name, plan.Generation))!.FirstAppliedAt.ShouldBe(Time.GetUtcNow());
    }

    [Fact]
    public async Task ConditionalApply_OlderGeneration_ReturnsStaleAndChangesNothing()
    {
        var old = await NewPlanAsync("t1");
        var newer = await NewPlanAsync("t2");
        await Store.ConditionalApplyAsync(Api.Name, newer.Generation, "az2");
        var revision = await Store.GetRevisionAsync();

        var outcome = await Store.ConditionalApplyAsync(Api.Name, old.Generation, "az1");

        outcome.Status.ShouldBe(ApplyStatus.Stale);
        outcome.Current.ShouldBe(newer.Generation);
        var applied = (await Store.GetAppliedAsync(Api.Name))!;
        applied.Generation.ShouldBe(newer.Generation);
        applied.AppliedBy.ShouldBe("az2");
        applied.Records.Ids().ShouldBe(["t2"]);
        (await Store.GetRevisionAsync()).ShouldBe(revision);
    }

    [Fact]
    public async Task ConditionalApply_SameGenerationTwice_SecondIsStaleWithItsOwnGeneration()
    {
        // How an enactor resolves an ambiguous outcome: re-applying reports the generation already live.
        var plan = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        var again = await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        again.Status.ShouldBe(ApplyStatus.Stale);
        again.Current.ShouldBe(plan.Generation);
    }

    [Fact]
    public async Task ConditionalApply_MissingPlan_IsRejected()
    {
        var outcome = await Store.ConditionalApplyAsync(Api.Name, new Generation(42), "az1");
        outcome.Status.ShouldBe(ApplyStatus.Rejected);
        (await Store.GetAppliedAsync(Api.Name)).ShouldBeNull();
    }

    [Fact]
    public async Task ConditionalApply_RejectedPlan_IsRejected()
    {
        var plan = await NewPlanAsync("t1");
        await Store.RejectPlanAsync(Api.Name, plan.Generation, "az1", "bad");
        (await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az2")).Status.ShouldBe(ApplyStatus.Rejected);
    }

    [Fact]
    public async Task ConditionalApply_EmptyPlan_IsRejectedAndNothingGoesLive()
    {
        var g = await Store.AllocateGenerationAsync();
        await Store.WritePlanAsync(Specs.Plan(Api, g.Value, Time.GetUtcNow()));
        var outcome = await Store.ConditionalApplyAsync(Api.Name, g, "az1");
        outcome.Status.ShouldBe(ApplyStatus.Rejected);
        outcome.Reason!.ShouldContain("no records");
        (await Store.GetAppliedAsync(Api.Name)).ShouldBeNull();
    }

    [Fact]
    public async Task ConditionalApply_EndpointFrozen_ReturnsFrozenOthersUnaffected()
    {
        var web = Specs.Endpoint("web");
        var plan = await NewPlanAsync("t1");
        var g = await Store.AllocateGenerationAsync();
        await Store.WritePlanAsync(Specs.Plan(web, g.Value, Time.GetUtcNow(), "t1"));
        await Store.SetFreezeAsync(Api.Name, "incident 7", "alice");

        var frozen = await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        frozen.Status.ShouldBe(ApplyStatus.Frozen);
        frozen.Reason.ShouldBe("incident 7");
        (await Store.ConditionalApplyAsync(web.Name, g, "az1")).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public async Task ConditionalApply_GlobalFreeze_FreezesEveryEndpointUntilCleared()
    {
        var plan = await NewPlanAsync("t1");
        await Store.SetFreezeAsync(null, "change window", "bob");
        (await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1")).Status.ShouldBe(ApplyStatus.Frozen);
        await Store.ClearFreezeAsync(null, "done", "bob");
        (await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1")).Status.ShouldBe(ApplyStatus.Applied);
    }

    [Fact]
    public async Task ConditionalApply_ConcurrentEnactors_OneWinnerPerGenerationAndNeverBackwards()
    {
        var plans = new List<Plan>();
        for (var i = 0; i < 10; i++)
        {
            plans.Add(await NewPlanAsync(i % 2 == 0 ? ["t1", "t2"] : ["t3"]));
        }

        var attempts = plans.SelectMany(p => Enumerable.Range(1, 3).Select(e => (p.Generation, Enactor: "az" + e))).ToList();
        var shuffled = attempts.OrderBy(_ => Guid.NewGuid()).ToList();
        var store = Store;
        var outcomes = await Task.WhenAll(shuffled.Select(a => Task.Run(() => store.ConditionalApplyAsync(Api.Name, a.Generation, a.Enactor))));

        outcomes.Count(o => o.Status == ApplyStatus.Applied).ShouldBeLessThanOrEqualTo(10);
        outcomes.Where(o => o.Status == ApplyStatus.Applied).GroupBy(o => o.Current).ShouldAllBe(g => g.Count() == 1);
        var feed = await Store.ReadChangesAsync(0, 100);
        feed.Select(c => c.Generation.Value).ShouldBeInOrder(SortDirection.Ascending);
        feed.Select(c => c.Generation).Distinct().Count().ShouldBe(feed.Count);
    }

    // ---- cleanup -----------------------------------------------------------------------------------

    [Fact]
    public async Task Cleanup_KeepsAppliedNewerAndLastKGoodPlans()
    {
        // The worked example of CleanupPolicy: g2 y, g4 y, g5 rejected, g6 y, g7 live, g9 newer.
        var g = new Dictionary<int, Generation>();
        for (var i = 1; i <= 9; i++)
        {
            g[i] = (await NewPlanAsync(i % 2 == 0 ? ["t1"] : ["t1", "t2"])).Generation;
            if (i is 2 or 4 or 6 or 7)
            {
                (await Store.ConditionalApplyAsync(Api.Name, g[i], "az1")).Status.ShouldBe(ApplyStatus.Applied);
            }
        }

        await Store.RejectPlanAsync(Api.Name, g[8], "az1", "bad");
        var outcome = await Store.CleanupAsync(Api.Name, keep: 2, TimeSpan.Zero);

        outcome.Applied.ShouldBe(g[7]);
        outcome.Deleted.ShouldBe([g[1], g[2], g[3], g[5]]);
        var left = (await Store.ListPlansAsync(Api.Name)).Select(p => p.Plan.Generation).ToList();
        left.ShouldBe([g[4], g[6], g[7], g[8], g[9]]);
        (await AuditActionsAsync()).ShouldContain("cleanup.deleted");
    }

    [Fact]
    public async Task Cleanup_PlansInsideRetainWindow_AreKeptUntilTheyAge()
    {
        // The velocity limit counts removals from the plans inside its window: cleanup must not delete them.
        // The newest plan before the window is the baseline the first removal inside it is measured from.
        var oldest = await NewPlanAsync("t1", "t2", "t3");
        var baseline = await NewPlanAsync("t1", "t2");
        Time.Advance(TimeSpan.FromMinutes(10));
        var recent = await NewPlanAsync("t1");
        var live = await NewPlanAsync("t2");
        await Store.ConditionalApplyAsync(Api.Name, live.Generation, "az1");

        (await Store.CleanupAsync(Api.Name, 0, TimeSpan.FromMinutes(5))).Deleted.ShouldBe([oldest.Generation]);
        (await Store.GetPlanAsync(Api.Name, baseline.Generation)).ShouldNotBeNull();
        (await Store.GetPlanAsync(Api.Name, recent.Generation)).ShouldNotBeNull();

        // Once the live plan itself has aged out of the window, nothing below it is counted any more.
        Time.Advance(TimeSpan.FromMinutes(6));
        (await Store.CleanupAsync(Api.Name, 0, TimeSpan.FromMinutes(5))).Deleted.ShouldBe([baseline.Generation, recent.Generation]);
    }

    [Fact]
    public async Task Cleanup_NothingApplied_DeletesNothing()
    {
        await NewPlanAsync("t1");
        await NewPlanAsync("t2");
        (await Store.CleanupAsync(Api.Name, 0, TimeSpan.Zero)).Deleted.ShouldBeEmpty();
        (await Store.ListPlansAsync(Api.Name)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Cleanup_KeepZero_NeverDeletesTheLivePlan()
    {
        await NewPlanAsync("t1");
        var live = await NewPlanAsync("t2");
        await Store.ConditionalApplyAsync(Api.Name, live.Generation, "az1");
        await Store.CleanupAsync(Api.Name, 0, TimeSpan.Zero);
        (await Store.GetPlanAsync(Api.Name, live.Generation)).ShouldNotBeNull();
        (await Store.ListPlansAsync(Api.Name)).Count.ShouldBe(1);
    }

    // ---- freeze --------------------------------------------------------------------------------------

    [Fact]
    public async Task Freeze_SetAndClear_StateAndAuditFollow()
    {
        await Store.SetFreezeAsync(Api.Name, "investigating", "alice");
        await Store.SetFreezeAsync(null, "all hands", "bob");
        var state = await Store.GetFreezeAsync();
        state.Global!.Reason.ShouldBe("all hands");
        state.Global.Actor.ShouldBe("bob");
        state.Endpoints[Api.Name].Reason.ShouldBe("investigating");
        state.For("web.svc.example.")!.Reason.ShouldBe("all hands");

        await Store.ClearFreezeAsync(null, "ok", "bob");
        await Store.ClearFreezeAsync(Api.Name, "ok", "alice");
        var cleared = await Store.GetFreezeAsync();
        cleared.Global.ShouldBeNull();
        cleared.Endpoints.ShouldBeEmpty();
        (await AuditActionsAsync()).Count(a => a == "freeze.set").ShouldBe(2);
        (await AuditActionsAsync()).Count(a => a == "freeze.cleared").ShouldBe(2);
    }

    // ---- desired state -----------------------------------------------------------------------------

    [Fact]
    public async Task PutEndpoint_RoundTripsEveryField()
    {
        var spec = new EndpointSpec(
            "mixed.svc.example.",
            Specs.Zone,
            new EndpointPolicy(Ttl: 30, MaxAnswers: 2, CapacityFloor: 0.3, VelocityLimit: 0.2, VelocityWindow: TimeSpan.FromMinutes(7), FailOpen: false),
            [
                new Target("v4", IPAddress.Parse("127.0.0.9"), "az2", 3, 40, TargetAdminState.Drained),
                new Target("v6", IPAddress.IPv6Loopback, "az3", 1, 5),
            ]);
        await Store.PutEndpointAsync(spec, "alice");
        var stored = (await Store.ListEndpointsAsync()).ShouldHaveSingleItem();
        stored.Name.ShouldBe(spec.Name);
        stored.Zone.ShouldBe(spec.Zone);
        stored.Policy.ShouldBe(spec.Policy);
        stored.Targets.ShouldBe(spec.Targets);
        (await Store.DeleteEndpointAsync(spec.Name, "alice")).ShouldBeTrue();
        (await Store.DeleteEndpointAsync(spec.Name, "alice")).ShouldBeFalse();
        (await Store.ListEndpointsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task PutZone_RoundTripsAndReplaces()
    {
        var zone = new ZoneSpec("svc.example.", new SoaValues("ns1.svc.example.", "hostmaster.svc.example.", 100, 20, 3000, 30), ["ns1.svc.example.", "ns2.svc.example."], 300);
        await Store.PutZoneAsync(zone, "alice");
        await Store.PutZoneAsync(zone with { DefaultTtl = 60 }, "alice");
        var stored = (await Store.ListZonesAsync()).ShouldHaveSingleItem();
        stored.Soa.ShouldBe(zone.Soa);
        stored.NameServers.ShouldBe(zone.NameServers);
        stored.DefaultTtl.ShouldBe(60);
        (await Store.DeleteZoneAsync(zone.Apex, "alice")).ShouldBeTrue();
        (await Store.ListZonesAsync()).ShouldBeEmpty();
    }

    // ---- audit and change feed ----------------------------------------------------------------------

    [Fact]
    public async Task Audit_AppendAndReadInPages_InOrder()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.AppendAuditAsync(new AuditEntry(0, Time.GetUtcNow(), "alice", "note", null, "n" + i));
        }

        var first = await Store.ReadAuditAsync(0, 4);
        first.Count.ShouldBe(4);
        var rest = await Store.ReadAuditAsync(first[^1].Sequence, 100);
        rest.Count.ShouldBe(3);
        first.Concat(rest).Select(a => a.Detail).ShouldBe(["n0", "n1", "n2", "n3", "n4", "n5", "n6"]);
        first.Concat(rest).Select(a => a.Sequence).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task EveryMutation_IsAudited()
    {
        var plan = await NewPlanAsync("t1");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        await Store.PutEndpointAsync(Api, "alice");
        await Store.PutZoneAsync(new ZoneSpec(Specs.Zone, new SoaValues("ns1.svc.example.", "h.svc.example."), ["ns1.svc.example."]), "alice");
        (await AuditActionsAsync()).ShouldBe(["plan.written", "apply.applied", "endpoint.put", "zone.put"]);
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

        revisions.ShouldBe([1, 2, 3, 4, 5]);
        var page = await Store.ReadChangesAsync(0, 2);
        page.Select(c => c.Revision).ShouldBe([1, 2]);
        var resumed = await Store.ReadChangesAsync(2, 100);
        resumed.Select(c => c.Revision).ShouldBe([3, 4, 5]);
        resumed[^1].Records.Ids().ShouldBe(["t1"]);
        (await Store.GetRevisionAsync()).ShouldBe(5);
    }

    [Fact]
    public async Task WaitForChange_CompletesWhenAChangeArrives()
    {
        var plan = await NewPlanAsync("t1");
        var wait = Store.WaitForChangeAsync(0, TimeSpan.FromHours(1));
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
        var wait = Store.WaitForChangeAsync(0, TimeSpan.FromSeconds(30));
        await Task.Delay(50);
        wait.IsCompleted.ShouldBeFalse();
        Time.Advance(TimeSpan.FromSeconds(31));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    // ---- durability --------------------------------------------------------------------------------

    [Fact]
    public async Task Reopen_KeepsEverythingAcknowledged()
    {
        var plan = await NewPlanAsync("t1", "t2");
        await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        await Store.SetFreezeAsync(Api.Name, "hold", "alice");
        await Store.PutEndpointAsync(Api, "alice");

        _store = Reopen(Store, Time);

        (await Store.GetAppliedAsync(Api.Name))!.Generation.ShouldBe(plan.Generation);
        (await Store.GetAppliedAsync(Api.Name))!.Records.Ids().ShouldBe(["t1", "t2"]);
        (await Store.GetFreezeAsync()).For(Api.Name).ShouldNotBeNull();
        (await Store.ListEndpointsAsync()).ShouldHaveSingleItem().Name.ShouldBe(Api.Name);
        (await Store.ReadChangesAsync(0, 10)).ShouldHaveSingleItem().Generation.ShouldBe(plan.Generation);
    }

    protected async Task<Plan> NewPlanAsync(params string[] targets)
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        var g = await Store.AllocateGenerationAsync();
        var plan = Specs.Plan(Api, g.Value, Time.GetUtcNow(), targets) with { Reason = "contract", InputsHash = "h" + g.Value };
        (await Store.WritePlanAsync(plan)).Written.ShouldBeTrue();
        return plan;
    }

    private async Task<List<string>> AuditActionsAsync() =>
        [.. (await Store.ReadAuditAsync(0, 1000)).Select(a => a.Action)];
}
