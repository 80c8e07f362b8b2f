using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.ControlPlane.Tests.Scenarios;

/// <summary>
/// The published schedule of the October 2025 outage (docs/design/incident.md, "The race"), run against the fenced
/// protocol with the real planner loop, enactors and store:
/// <code>
/// step  who           does
/// 1     planner       writes g1; both enactors converge on it
/// 2     enactor az1   reads plan g2 and starts applying it — then stalls (held at a gate)
/// 3     planner       writes g3, g4, g5 as the fleet keeps changing
/// 4     enactor az2   applies g5 and cleans up (keep K = 1)
/// 5     enactor az1   finally finishes its apply of g2
/// 6     enactor az2   cleans up again
/// </code>
/// In 2025, step 5 overwrote the endpoint with old plan g2 and step 6 deleted g2 as too old, leaving the
/// endpoint empty and every enactor stuck. Here step 5 must be refused as stale and step 6 must leave the
/// live plan alone.
/// </summary>
public sealed class October2025ScenarioTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
    private readonly InMemoryControlStore _store;
    private readonly FixedHealthViewSource _health = new();
    private readonly EndpointSpec _spec = Specs.Endpoint("dynamodb", targets: 8, policy: new EndpointPolicy(CapacityFloor: 0.25, VelocityLimit: 1.0, VelocityWindow: TimeSpan.FromSeconds(1)));

    private readonly PlannerLoop _planner;

    // The 2025 automation had no velocity limit, and enactors keep the plans inside the velocity window: a
    // one-second window (the manual clock advances past it) lets cleanup reach the plans as it did then.
    public October2025ScenarioTests()
    {
        _store = new InMemoryControlStore(_time);

        // The fleet change here is a planned shrink, not a mass failure: keep self-preservation out of it.
        var options = new PlannerOptions { SelfPreservation = new() { EnterFraction = 0.9 } };
        _planner = new PlannerLoop(_store, _health, options, _time, new Random(1));
    }

    public void Dispose() => _planner.Dispose();

    [Fact]
    public async Task DelayedEnactorWithOldPlan_FastEnactorAppliesNewerAndCleansUp_EndpointNeverEmptyNorGoesBack()
    {
        await _store.PutEndpointAsync(_spec, "test");
        var (slowStore, gate) = GatedStore.Create(_store, "az1");
        var slow = new Enactor("az1", slowStore, new EnactorOptions { KeepPlans = 1 }, _time, new Random(2));
        var fast = new Enactor("az2", _store, new EnactorOptions { KeepPlans = 1 }, _time, new Random(3));

        // 1. g1, applied by the fast enactor (the slow one would see it as stale).
        await PlanWithDown();
        await fast.ReconcileOnceAsync();

        // 2. g2 exists; the slow enactor picks it up and stalls inside its apply.
        var g2 = (await PlanWithDown("t8"))!.Generation;
        var slowPass = slow.ReconcileOnceAsync();
        await gate.Arrived.WaitAsync(TimeSpan.FromSeconds(10));

        // 3. The planner moves on: g3, g4, g5.
        await PlanWithDown("t8", "t7");
        await PlanWithDown("t8", "t7", "t6");
        var g5 = (await PlanWithDown("t8", "t7", "t6", "t5"))!.Generation;

        // 4. The fast enactor applies g5 and cleans up: g2 (never applied, older than live) goes.
        var fastPass = await fast.ReconcileOnceAsync();
        fastPass.Steps.ShouldContain(s => s.Generation == g5 && s.Outcome!.Value.Status == ApplyStatus.Applied);
        (await _store.GetPlanAsync(_spec.Name, g2)).ShouldBeNull("cleanup removed the never-applied old plan");

        // 5. The slow enactor finally completes its apply of g2: the fence refuses it.
        gate.Open();
        var late = await slowPass;
        var step = late.Steps.ShouldHaveSingleItem();
        step.Generation.ShouldBe(g2);
        step.Outcome!.Value.Status.ShouldBe(ApplyStatus.Stale);
        step.Outcome.Value.Current.ShouldBe(g5);

        // 6. Cleanup again; then check the state the 2025 system could not reach.
        await fast.ReconcileOnceAsync();
        var applied = (await _store.GetAppliedAsync(_spec.Name))!;
        applied.Generation.ShouldBe(g5, "no generation going backwards");
        applied.Records.Ids().ShouldBe(["t1", "t2", "t3", "t4"], "the endpoint is never empty");
        (await _store.GetPlanAsync(_spec.Name, g5)).ShouldNotBeNull("the live plan is never deleted");
        var feed = (await _store.ReadChangesAsync(0, 100)).Changes.OfType<AppliedChange>().ToList();
        feed.Select(c => c.Generation.Value).ShouldBeInOrder(SortDirection.Ascending);
        feed.ShouldAllBe(c => c.Records.Length > 0);

        // Self-healing is not stuck: a new plan still flows through both enactors.
        var g6 = (await PlanWithDown("t8"))!.Generation;
        await slow.ReconcileOnceAsync();
        (await _store.GetAppliedAsync(_spec.Name))!.Generation.ShouldBe(g6);
    }

    private async Task<Plan?> PlanWithDown(params string[] down)
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        var view = HealthView.Empty;
        foreach (var id in down)
        {
            view = view.With(_spec.Name, id, new TargetHealth(HealthState.Down, _time.GetUtcNow()));
        }

        _health.View = view;
        var pass = await _planner.RunOnceAsync();
        return pass.Written.SingleOrDefault();
    }
}
