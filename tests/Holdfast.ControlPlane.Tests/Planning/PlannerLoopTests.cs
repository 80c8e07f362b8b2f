using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Operations;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.ControlPlane.Tests.Planning;

public sealed class PlannerLoopTests
{
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
    private readonly InMemoryControlStore _store;
    private readonly FixedHealthViewSource _health = new();

    public PlannerLoopTests() => _store = new InMemoryControlStore(_time);

    [Fact]
    public async Task RunOnce_NewEndpoint_WritesOnePlanAndThenNothing()
    {
        await _store.PutEndpointAsync(Specs.Endpoint(), "test");
        using var planner = NewPlanner();
        (await planner.RunOnceAsync()).Written.Count.ShouldBe(1);
        (await planner.RunOnceAsync()).Written.ShouldBeEmpty();
        (await _store.ListPlansAsync(Specs.Endpoint().Name)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RunOnce_LatestIsRollback_LeavesEndpointPinnedUntilResumed()
    {
        var spec = Specs.Endpoint(targets: 3);
        await _store.PutEndpointAsync(spec, "test");
        using var planner = NewPlanner();
        await planner.RunOnceAsync();
        await Enact();
        _health.View = HealthView.Empty.Down(spec, _time.GetUtcNow(), "t3");
        await planner.RunOnceAsync();
        await Enact();

        var ops = new ControlPlaneOperations(_store, _time);
        var (_, rollback) = await ops.RollbackAsync(new RollbackRequest(spec.Name, null, "bad deploy", "alice"));
        rollback.ShouldNotBeNull();
        await Enact();

        _health.View = HealthView.Empty;
        var pass = await planner.RunOnceAsync();
        pass.Pinned.ShouldBe([spec.Name]);
        pass.Written.ShouldBeEmpty();

        var resumed = await planner.ResumeAsync(spec.Name, "alice");
        resumed.ShouldNotBeNull();
        resumed.Origin.ShouldBe(PlanOrigin.Planner);
        (await planner.RunOnceAsync()).Pinned.ShouldBeEmpty();
    }

    [Fact]
    public async Task DryRun_DoesNotWrite()
    {
        var spec = Specs.Endpoint();
        await _store.PutEndpointAsync(spec, "test");
        using var planner = NewPlanner();
        var result = await planner.DryRunAsync(spec.Name);
        result!.HasChange.ShouldBeTrue();
        (await _store.ListPlansAsync(spec.Name)).ShouldBeEmpty();
        (await planner.DryRunAsync("missing.svc.example.")).ShouldBeNull();
    }

    private PlannerLoop NewPlanner() => new(_store, _health, new PlannerOptions(), _time, new Random(7));

    private Task<EnactorPass> Enact() => new Enactor("az1", _store, new EnactorOptions(), _time, new Random(1)).ReconcileOnceAsync();
}
