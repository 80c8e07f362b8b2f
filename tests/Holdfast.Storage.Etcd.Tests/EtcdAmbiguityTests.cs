using System.Collections.Immutable;
using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Storage.Etcd.Tests;

/// <summary>
/// Unknown outcomes on one etcd member: the answer of a committed txn lost, and a commit delivered twice. The store must
/// report what committed, read back — never assume.
/// </summary>
public sealed class EtcdAmbiguityTests(SingleEtcdFixture fixture) : IClassFixture<SingleEtcdFixture>, IDisposable
{
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
    private readonly TxnFaults _faults = new();
    private readonly EndpointSpec _api = Specs.Endpoint("api", targets: 3);
    private EtcdControlStore? _store;

    private EtcdControlStore Store => _store ??= EtcdControlStore.Open(new EtcdControlStoreOptions
    {
        Endpoints = fixture.Cluster.ClientUrls,
        Prefix = "/ambiguity/" + Guid.NewGuid().ToString("N") + "/",
        Interceptors = [_faults],
    }, _time);

    [Fact]
    public async Task ConditionalApply_AnswerLostAfterCommit_ReadsBackAppliedNotStale()
    {
        var plan = await PlanAsync("t1", "t2");
        _faults.LoseAnswers(1);

        var outcome = await Store.ConditionalApplyAsync(_api.Name, plan.Generation, "az1");

        _faults.Committed.ShouldBe(1);
        outcome.Status.ShouldBe(ApplyStatus.Applied);
        outcome.Current.ShouldBe(plan.Generation);
        (await AppliedChangesAsync()).ShouldHaveSingleItem().Generation.ShouldBe(plan.Generation);
        (await Store.ReadAuditForAsync(_api.Name, 10)).Count(a => a.Action == "apply.applied").ShouldBe(1);
    }

    [Fact]
    public async Task ConditionalApply_CommitDeliveredTwice_SecondCopyChangesNothingAndTheFirstOutcomeIsReported()
    {
        var plan = await PlanAsync("t1");
        _faults.Duplicate(1);

        var outcome = await Store.ConditionalApplyAsync(_api.Name, plan.Generation, "az1");

        _faults.Committed.ShouldBe(1);
        outcome.Status.ShouldBe(ApplyStatus.Applied);
        (await AppliedChangesAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task WritePlan_AnswerLostAfterCommit_ReportsWrittenOnce()
    {
        await Store.PutEndpointAsync(_api, "test");
        var g = await Store.AllocateGenerationAsync();
        _faults.LoseAnswers(1);

        var outcome = await Store.WritePlanAsync(Specs.Plan(_api, g.Value, _time.GetUtcNow(), "t1"));

        outcome.Written.ShouldBeTrue();
        (await Store.ListPlansAsync(_api.Name)).ShouldHaveSingleItem().Plan.Generation.ShouldBe(g);
        (await Store.ReadAuditForAsync(_api.Name, 10)).Count(a => a.Action == "plan.written").ShouldBe(1);
    }

    [Fact]
    public async Task PutEndpoints_EveryAnswerLostTwice_CreatedOnceAndReportedCreated()
    {
        _faults.LoseAnswers(2);
        var outcomes = await Store.PutEndpointsAsync([_api, Specs.Endpoint("web")], "test");
        outcomes.ShouldBe([EndpointWriteOutcome.Created, EndpointWriteOutcome.Created]);
        (await Store.GetRevisionAsync()).ShouldBe(1);
        (await Store.ReadAuditAsync(0, 100)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Batch_BeyondEtcdLimits_IsSplitAndEveryItemDecided()
    {
        // 300 endpoints (more than one txn's 128 operations) and plans of 400 records each (more than 1.5 MiB together).
        var specs = Enumerable.Range(0, 300).Select(i => Specs.Endpoint("e" + i, targets: 2)).ToList();
        (await Store.PutEndpointsAsync(specs, "test")).ShouldAllBe(o => o == EndpointWriteOutcome.Created);
        var putRevisions = await Store.GetRevisionAsync();
        putRevisions.ShouldBeGreaterThan(1);

        var first = await Store.AllocateGenerationsAsync(specs.Count);
        ImmutableArray<PlanRecord> records = [.. Enumerable.Range(0, 400).Select(i => new PlanRecord("t" + i, new IPAddress([127, 1, (byte)(i / 256), (byte)(i % 256)]), 1, 10))];
        var plans = specs.Select((s, i) => new PlanWrite(Specs.Plan(s, first.Value + i, _time.GetUtcNow()) with { Records = records })).ToList();
        (await Store.WritePlansAsync(plans)).ShouldAllBe(o => o.Written);
        var applied = await Store.ConditionalApplyAsync([.. specs.Select((s, i) => new ApplyRequest(s.Name, new Generation(first.Value + i)))], "az1");

        applied.ShouldAllBe(o => o.Status == ApplyStatus.Applied);
        (await Store.ReadServingStateAsync()).Endpoints.ShouldAllBe(e => e.Records.Length == 400);
        var revisions = (await ReadAllChangesAsync()).Select(c => c.Revision).Distinct().Count();
        revisions.ShouldBeGreaterThan(3);
    }

    public void Dispose() => _store?.Dispose();

    private async Task<Plan> PlanAsync(params string[] targets)
    {
        await Store.PutEndpointAsync(_api, "test");
        var g = await Store.AllocateGenerationAsync();
        var plan = Specs.Plan(_api, g.Value, _time.GetUtcNow(), targets);
        (await Store.WritePlanAsync(plan)).Written.ShouldBeTrue();
        return plan;
    }

    private async Task<List<AppliedChange>> AppliedChangesAsync() => [.. (await ReadAllChangesAsync()).OfType<AppliedChange>()];

    private async Task<List<StoreChange>> ReadAllChangesAsync()
    {
        var all = new List<StoreChange>();
        var page = await Store.ReadChangesAsync(0, 10_000);
        all.AddRange(page.Changes);
        while (page.Changes.Count > 0)
        {
            page = await Store.ReadChangesAsync(page.Revision, 10_000);
            all.AddRange(page.Changes);
        }

        return all;
    }
}
