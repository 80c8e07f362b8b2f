using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.ControlPlane.Tests.Enactment;

public sealed class EnactorTests
{
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
    private readonly InMemoryControlStore _store;
    private readonly EndpointSpec _spec = Specs.Endpoint(targets: 4, policy: new EndpointPolicy(CapacityFloor: 0.5));

    public EnactorTests() => _store = new InMemoryControlStore(_time);

    [Fact]
    public async Task ReconcileOnce_NewerPlan_AppliesNewestOnly()
    {
        await _store.PutEndpointAsync(_spec, "test");
        await Write("t1", "t2", "t3", "t4");
        var g2 = await Write("t1", "t2", "t3");
        var pass = await NewEnactor("az1").ReconcileOnceAsync();
        pass.Steps.ShouldHaveSingleItem().Generation.ShouldBe(g2);
        (await _store.GetAppliedAsync(_spec.Name))!.Generation.ShouldBe(g2);
    }

    [Fact]
    public async Task ReconcileOnce_TwoEnactorsSamePlan_SecondSeesStale()
    {
        await _store.PutEndpointAsync(_spec, "test");
        var g = await Write("t1", "t2", "t3", "t4");
        (await NewEnactor("az1").ReconcileOnceAsync()).Applied.ShouldBe(1);
        var second = await NewEnactor("az2").ReconcileOnceAsync();
        second.Steps.ShouldBeEmpty("nothing newer than applied, so no apply is even attempted");
        (await _store.GetAppliedAsync(_spec.Name))!.AppliedBy.ShouldBe("az1");
    }

    [Fact]
    public async Task ReconcileOnce_LatestPlanFailsRecheck_RejectsItAndAppliesOlderValidPlan()
    {
        await _store.PutEndpointAsync(_spec, "test");
        var g1 = await Write("t1", "t2", "t3", "t4");
        await NewEnactor("az1").ReconcileOnceAsync();
        var g2 = await Write("t1", "t2", "t3");
        var g3 = await Write("t1");

        var pass = await NewEnactor("az1").ReconcileOnceAsync();

        pass.Steps.Select(s => s.Generation).ShouldBe([g3, g2]);
        pass.Steps[0].Refusal.ShouldNotBeNull();
        (await _store.GetPlanAsync(_spec.Name, g3))!.IsRejected.ShouldBeTrue();
        (await _store.GetAppliedAsync(_spec.Name))!.Generation.ShouldBe(g2);
        (await _store.GetAppliedAsync(_spec.Name))!.Generation.ShouldBeGreaterThan(g1);
    }

    [Fact]
    public async Task ReconcileOnce_AppliedPlanMissing_StillConvergesToNewerPlan()
    {
        // A store damaged by hand (or by the legacy cleanup): the live plan's row is gone.
        await _store.PutEndpointAsync(_spec, "test");
        await Write("t1", "t2", "t3", "t4");
        await NewEnactor("az1").ReconcileOnceAsync();
        var g2 = await Write("t1", "t2", "t3");
        await NewEnactor("az1").ReconcileOnceAsync();
        await _store.CleanupAsync(_spec.Name, keep: 0, TimeSpan.Zero);
        var g3 = await Write("t2", "t3", "t4");

        await NewEnactor("az2").ReconcileOnceAsync();

        (await _store.GetAppliedAsync(_spec.Name))!.Generation.ShouldBe(g3);
        g3.ShouldBeGreaterThan(g2);
    }

    [Fact]
    public async Task ReconcileOnce_Frozen_AppliesNothingAndConvergesAfterUnfreeze()
    {
        await _store.PutEndpointAsync(_spec, "test");
        await _store.SetFreezeAsync(_spec.Name, "incident 42", "alice");
        var g = await Write("t1", "t2", "t3", "t4");
        var pass = await NewEnactor("az1").ReconcileOnceAsync();
        pass.Steps.ShouldHaveSingleItem().Outcome!.Value.Status.ShouldBe(ApplyStatus.Frozen);
        (await _store.GetAppliedAsync(_spec.Name)).ShouldBeNull();

        await _store.ClearFreezeAsync(_spec.Name, "over", "alice");
        await NewEnactor("az1").ReconcileOnceAsync();
        (await _store.GetAppliedAsync(_spec.Name))!.Generation.ShouldBe(g);
    }

    [Fact]
    public async Task ReconcileOnce_ReportsTheFinishedPassToTheObserver()
    {
        await _store.PutEndpointAsync(_spec, "test");
        var g = await Write("t1", "t2", "t3", "t4");
        var observer = new PassRecorder();

        var pass = await new Enactor("az1", _store, new EnactorOptions(), _time, new Random(1), observer).ReconcileOnceAsync();

        observer.Passes.ShouldBe([pass]);
        pass.Steps.Single().Generation.ShouldBe(g);
    }

    private sealed class PassRecorder : IControlPlaneObserver
    {
        public List<EnactorPass> Passes { get; } = [];

        public void EnactorPassCompleted(EnactorPass pass) => Passes.Add(pass);

        public void GuardrailFired(string actor, string endpoint, GuardrailDecision decision)
        {
        }

        public void PlanWritten(Plan plan)
        {
        }

        public void ApplyAttempted(string enactorId, string endpoint, Generation generation, ApplyOutcome outcome)
        {
        }

        public void CleanedUp(string enactorId, string endpoint, CleanupOutcome outcome)
        {
        }

        public void PassFailed(string actor, string? endpoint, Exception exception)
        {
        }
    }

    [Fact]
    public async Task ReconcileOnce_AfterApplies_CleansUpBeyondKeep()
    {
        await _store.PutEndpointAsync(_spec, "test");
        var enactor = new Enactor("az1", _store, new EnactorOptions { KeepPlans = 1 }, _time, new Random(1));
        for (var i = 0; i < 4; i++)
        {
            await Write(i % 2 == 0 ? ["t1", "t2", "t3", "t4"] : ["t1", "t2", "t3"]);
            await enactor.ReconcileOnceAsync();
        }

        (await _store.ListPlansAsync(_spec.Name)).Count.ShouldBe(4, "plans inside the velocity window stay: its removals are counted from them");

        // Cleanup follows applies: the next apply after the window has passed deletes what aged out of it.
        _time.Advance(_spec.Policy.Window + TimeSpan.FromSeconds(1));
        await Write("t1", "t2", "t4");
        await enactor.ReconcileOnceAsync();
        var plans = await _store.ListPlansAsync(_spec.Name);
        plans.Count.ShouldBe(2, "the applied plan and one good plan below it");
    }

    [Fact]
    public async Task ReconcileOnce_StoreThrowsForOneEndpoint_OthersStillConverge()
    {
        var other = Specs.Endpoint("web");
        var store = ThrowingStore.Create(_store, failEndpoint: _spec.Name);
        await _store.PutEndpointAsync(_spec, "test");
        await _store.PutEndpointAsync(other, "test");
        await Write("t1", "t2", "t3", "t4");
        var g = await _store.AllocateGenerationAsync();
        await _store.WritePlanAsync(Specs.Plan(other, g.Value, _time.GetUtcNow(), "t1", "t2", "t3"));

        var pass = await new Enactor("az1", store, new EnactorOptions(), _time, new Random(1)).ReconcileOnceAsync();

        pass.Steps.ShouldContain(s => s.Endpoint == _spec.Name && s.Error != null);
        (await _store.GetAppliedAsync(other.Name))!.Generation.ShouldBe(g);
    }

    [Fact]
    public async Task RunAsync_PlanWritten_IsAppliedOnTheFeedsWakeUpWithoutWaitingForAFullPass()
    {
        await _store.PutEndpointAsync(_spec, "test");
        using var cts = new CancellationTokenSource();
        var observer = new PassRecorder();
        var run = new Enactor("az1", _store, new EnactorOptions(), _time, new Random(3), observer).RunAsync(cts.Token);
        await AdvanceUntil(() => Task.FromResult(observer.Passes.Count > 0), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        var started = _time.GetUtcNow();

        var g = await Write("t1", "t2", "t3", "t4");

        await AdvanceUntil(async () => (await _store.GetAppliedAsync(_spec.Name))?.Generation == g, TimeSpan.FromMilliseconds(2), TimeSpan.FromSeconds(1));
        (_time.GetUtcNow() - started).ShouldBeLessThan(TimeSpan.FromMilliseconds(50), "a wake-up costs the coalescing delay, not a pass interval");
        observer.Passes.ShouldContain(p => !p.Full && p.Applied == 1);
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(run);
    }

    [Fact]
    public async Task RunAsync_EveryWakeUpLost_TheFullPassAppliesWithinItsJitteredInterval()
    {
        await _store.PutEndpointAsync(_spec, "test");
        using var cts = new CancellationTokenSource();
        var observer = new PassRecorder();
        var options = new EnactorOptions { FullPassInterval = TimeSpan.FromMinutes(5), Jitter = 0.2 };
        var run = new Enactor("az1", BlindFeedStore.Create(_store), options, _time, new Random(3), observer).RunAsync(cts.Token);
        await AdvanceUntil(() => Task.FromResult(observer.Passes.Count > 0), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        var started = _time.GetUtcNow();

        var g = await Write("t1", "t2", "t3", "t4");

        await AdvanceUntil(async () => (await _store.GetAppliedAsync(_spec.Name))?.Generation == g, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(7));
        (_time.GetUtcNow() - started).ShouldBeInRange(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(5));
        observer.Passes.Where(p => p.Applied == 1).ShouldHaveSingleItem().Full.ShouldBeTrue();
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(run);
    }

    /// <summary>Moves the clock in steps (letting the loop's continuations run) until the condition holds or <paramref name="max"/> of clock time passed.</summary>
    private async Task AdvanceUntil(Func<Task<bool>> condition, TimeSpan step, TimeSpan max)
    {
        var until = _time.GetUtcNow() + max;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            _time.GetUtcNow().ShouldBeLessThan(until, "the condition did not hold in time");
            await Task.Delay(2, deadline.Token);
            _time.Advance(step);
        }
    }

    private Enactor NewEnactor(string id) => new(id, _store, new EnactorOptions(), _time, new Random(1));

    private async Task<Generation> Write(params string[] ids)
    {
        var g = await _store.AllocateGenerationAsync();
        (await _store.WritePlanAsync(Specs.Plan(_spec, g.Value, _time.GetUtcNow(), ids))).Written.ShouldBeTrue();
        return g;
    }
}
