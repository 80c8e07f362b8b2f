using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Testing.Builders;

namespace Holdfast.Testing.StoreContract;

/// <summary>
/// The control store contract (docs/design/control-plane.md), one test per clause. Every store implementation subclasses
/// this class; durable stores also implement <see cref="Reopen"/> so that the durability clauses run. Split by concern
/// over partial files: plans and the fence here, endpoints and zones, and the audit and change feed.
/// </summary>
public abstract partial class ControlStoreContractTests : IDisposable
{
    private IControlStore? _store;

    /// <summary>The store's clock; it counts armed timers so that a test can wait until the store has started waiting.</summary>
    protected TimerCountingTimeProvider Time { get; } = new(TestTime.IncidentStart);

    protected EndpointSpec Api { get; } = Specs.Endpoint("api", targets: 4);

    protected IControlStore Store => _store ??= CreateStore(Time);

    /// <summary>Creates an empty store on <paramref name="time"/>.</summary>
    protected abstract IControlStore CreateStore(TimeProvider time);

    /// <summary>Closes the store and opens it again on the same data; stores without durability return the same instance.</summary>
    protected abstract IControlStore Reopen(IControlStore store, TimeProvider time);

    /// <summary>Drops the change feed's entries up to <paramref name="throughRevision"/>, as the store's retention (or etcd's compaction) would.</summary>
    protected abstract Task CompactChangesAsync(IControlStore store, long throughRevision);

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
        await EnsureEndpointAsync(Api);
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
    public async Task WritePlan_GenerationZero_IsRefusedAndTheEndpointHasNoPlan()
    {
        await EnsureEndpointAsync(Api);
        (await Store.WritePlanAsync(Specs.Plan(Api, 0, Time.GetUtcNow(), "t1"))).Written.ShouldBeFalse();
        (await Store.ListPlansAsync(Api.Name)).ShouldBeEmpty();
        (await Store.ListPendingAsync(null, 10)).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task WritePlan_EndpointDoesNotExist_IsRefusedAndLeavesNothing()
    {
        // A plan for a deleted endpoint would outlive it and could be applied under a re-created name.
        var g = await Store.AllocateGenerationAsync();
        var outcome = await Store.WritePlanAsync(Specs.Plan(Api, g.Value, Time.GetUtcNow(), "t1"));
        outcome.Written.ShouldBeFalse();
        outcome.Reason!.ShouldContain("does not exist");
        (await Store.ListPlansAsync(Api.Name)).ShouldBeEmpty();
        (await Store.GetPlanAsync(Api.Name, g)).ShouldBeNull();
    }

    [Fact]
    public async Task WritePlans_Batch_OneOutcomePerPlanAndOneRevision()
    {
        var web = Specs.Endpoint("web");
        await EnsureEndpointAsync(Api);
        await EnsureEndpointAsync(web);
        var first = await Store.AllocateGenerationsAsync(3);
        var before = await Store.GetRevisionAsync();
        var outcomes = await Store.WritePlansAsync([
            new PlanWrite(Specs.Plan(Api, first.Value, Time.GetUtcNow(), "t1")),
            new PlanWrite(Specs.Plan(web, first.Value + 1, Time.GetUtcNow(), "t2")),
            new PlanWrite(Specs.Plan(Specs.Endpoint("gone"), first.Value + 2, Time.GetUtcNow(), "t1")),
        ]);

        outcomes.Select(o => o.Written).ShouldBe([true, true, false]);
        (await Store.GetRevisionAsync()).ShouldBe(before + 1);
        var feed = await Store.ReadChangesAsync(before, 100);
        feed.Changes.OfType<PlanWrittenChange>().Select(c => (c.Endpoint, c.Generation.Value)).ShouldBe([(Api.Name, first.Value), (web.Name, first.Value + 1)]);
        feed.Changes.ShouldAllBe(c => c.Revision == before + 1);
    }

    [Fact]
    public async Task WritePlans_NotesAreAuditedInTheSameTransactionOnlyWhenWritten()
    {
        var live = await NewPlanAsync("t1");
        var written = Specs.Plan(Api, (await Store.AllocateGenerationAsync()).Value, Time.GetUtcNow(), "t2");
        var stale = Specs.Plan(Api, live.Generation.Value, Time.GetUtcNow(), "t3");
        var outcomes = await Store.WritePlansAsync([
            new PlanWrite(written, "alice", [new AuditNote("rollback.written", "because")]),
            new PlanWrite(stale, "bob", [new AuditNote("rollback.written", "never")]),
        ]);

        outcomes.Select(o => o.Written).ShouldBe([true, false]);
        var audit = await Store.ReadAuditForAsync(Api.Name, 10);
        audit.Where(a => a.Action == "rollback.written").ShouldHaveSingleItem().Actor.ShouldBe("alice");
        audit.First(a => a.Action == "plan.written").Actor.ShouldBe("alice");
        audit.ShouldNotContain(a => a.Detail == "never");
    }

    [Fact]
    public async Task AllocateGenerations_Range_IsAboveEveryEarlierOneAndReserved()
    {
        var single = await Store.AllocateGenerationAsync();
        var first = await Store.AllocateGenerationsAsync(100);
        first.ShouldBeGreaterThan(single);
        (await Store.AllocateGenerationAsync()).Value.ShouldBeGreaterThan(first.Value + 99);
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
    public async Task ListPending_NamesEndpointsWithAValidPlanAboveAppliedInOrdinalOrderPageByPage()
    {
        var web = Specs.Endpoint("web");
        var zed = Specs.Endpoint("zed");
        var done = Specs.Endpoint("done");
        await NewPlanAsync("t1");
        await NewPlanAsync(web, "t1");
        var rejected = await NewPlanAsync(zed, "t1");
        await Store.RejectPlanAsync(zed.Name, rejected.Generation, "az1", "bad");
        var applied = await NewPlanAsync(done, "t1");
        await Store.ConditionalApplyAsync(done.Name, applied.Generation, "az1");

        var first = await Store.ListPendingAsync(null, 1);
        first.Items.ShouldHaveSingleItem().Endpoint.ShouldBe(Api.Name);
        first.Next.ShouldBe(Api.Name);
        var second = await Store.ListPendingAsync(first.Next, 1);
        second.Items.ShouldHaveSingleItem().ShouldBe(new PendingEndpoint(web.Name, (await Store.ListPlansAsync(web.Name))[0].Plan.Generation, Generation.None));
        second.Next.ShouldBeNull();
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
        await EnsureEndpointAsync(Api);
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
        var webPlan = await NewPlanAsync(web, "t1");
        await Store.SetFreezeAsync(Api.Name, "incident 7", "alice");

        var frozen = await Store.ConditionalApplyAsync(Api.Name, plan.Generation, "az1");
        frozen.Status.ShouldBe(ApplyStatus.Frozen);
        frozen.Reason.ShouldBe("incident 7");
        (await Store.ConditionalApplyAsync(web.Name, webPlan.Generation, "az1")).Status.ShouldBe(ApplyStatus.Applied);
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
        var feed = (await Store.ReadChangesAsync(0, 1000)).Changes.OfType<AppliedChange>().ToList();
        feed.Select(c => c.Generation.Value).ShouldBeInOrder(SortDirection.Ascending);
        feed.Select(c => c.Generation).Distinct().Count().ShouldBe(feed.Count);
    }

    [Fact]
    public async Task ConditionalApply_Batch_FenceDecidedPerEndpointInOneRevision()
    {
        var web = Specs.Endpoint("web");
        var frozen = Specs.Endpoint("frozen");
        var old = await NewPlanAsync("t1");
        var live = await NewPlanAsync("t2");
        await Store.ConditionalApplyAsync(Api.Name, live.Generation, "az2");
        var webPlan = await NewPlanAsync(web, "t1", "t2");
        var frozenPlan = await NewPlanAsync(frozen, "t1");
        await Store.SetFreezeAsync(frozen.Name, "hold", "alice");
        var before = await Store.GetRevisionAsync();

        var outcomes = await Store.ConditionalApplyAsync([
            new ApplyRequest(Api.Name, old.Generation),
            new ApplyRequest(web.Name, webPlan.Generation),
            new ApplyRequest(frozen.Name, frozenPlan.Generation),
            new ApplyRequest("missing.svc.example.", new Generation(999_999)),
        ], "az1");

        outcomes.Select(o => o.Status).ShouldBe([ApplyStatus.Stale, ApplyStatus.Applied, ApplyStatus.Frozen, ApplyStatus.Rejected]);
        outcomes[0].Current.ShouldBe(live.Generation);
        outcomes[1].Revision.ShouldBe(before + 1);
        (await Store.GetAppliedAsync(Api.Name))!.Generation.ShouldBe(live.Generation);
        (await Store.GetAppliedAsync(web.Name))!.Records.Ids().ShouldBe(["t1", "t2"]);
        (await Store.GetAppliedAsync(frozen.Name)).ShouldBeNull();
        var applied = (await Store.ReadChangesAsync(before, 100)).Changes.ShouldHaveSingleItem().ShouldBeOfType<AppliedChange>();
        (applied.Endpoint, applied.Zone, applied.Generation).ShouldBe((web.Name, web.Zone, webPlan.Generation));
        applied.Records.Ids().ShouldBe(["t1", "t2"]);
    }

    [Fact]
    public async Task ConditionalApply_TwoRequestsForOneEndpoint_DecidedInOrder()
    {
        var a = await NewPlanAsync("t1");
        var b = await NewPlanAsync("t2");
        var outcomes = await Store.ConditionalApplyAsync([new ApplyRequest(Api.Name, b.Generation), new ApplyRequest(Api.Name, a.Generation)], "az1");
        outcomes.Select(o => o.Status).ShouldBe([ApplyStatus.Applied, ApplyStatus.Stale]);
        (await Store.GetAppliedAsync(Api.Name))!.Generation.ShouldBe(b.Generation);
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
    public async Task Cleanup_Batch_OneOutcomePerEndpoint()
    {
        var web = Specs.Endpoint("web");
        await NewPlanAsync("t1");
        var live = await NewPlanAsync("t2");
        await Store.ConditionalApplyAsync(Api.Name, live.Generation, "az1");
        await NewPlanAsync(web, "t1");
        var outcomes = await Store.CleanupAsync([new CleanupRequest(Api.Name, 0, TimeSpan.Zero), new CleanupRequest(web.Name, 0, TimeSpan.Zero), new CleanupRequest("none.svc.example.", 0, TimeSpan.Zero)]);
        outcomes.Select(o => (o.Endpoint, o.Deleted.Count)).ShouldBe([(Api.Name, 1), (web.Name, 0), ("none.svc.example.", 0)]);
        outcomes[0].Applied.ShouldBe(live.Generation);
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

    protected async Task<Plan> NewPlanAsync(params string[] targets) => await NewPlanAsync(Api, targets);

    protected async Task<Plan> NewPlanAsync(EndpointSpec spec, params string[] targets)
    {
        await EnsureEndpointAsync(spec);
        Time.Advance(TimeSpan.FromSeconds(1));
        var g = await Store.AllocateGenerationAsync();
        var plan = Specs.Plan(spec, g.Value, Time.GetUtcNow(), targets) with { Reason = "contract", InputsHash = "h" + g.Value };
        (await Store.WritePlanAsync(plan)).Written.ShouldBeTrue();
        return plan;
    }

    /// <summary>Puts the endpoint unless the store already has it exactly so.</summary>
    protected async Task EnsureEndpointAsync(EndpointSpec spec)
    {
        if (!spec.Equals(await Store.GetEndpointAsync(spec.Name)))
        {
            await Store.PutEndpointAsync(spec, "test");
        }
    }

    protected async Task<List<string>> AuditActionsAsync() =>
        [.. (await Store.ReadAuditAsync(0, 10_000)).Select(a => a.Action)];

    protected static ZoneSpec Zone(string apex = Specs.Zone, int defaultTtl = 3600) =>
        new(apex, new SoaValues("ns1." + apex, "hostmaster." + apex), ["ns1." + apex], defaultTtl);
}
