using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Operations;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.ControlPlane.Tests.Operations;

public sealed class RollbackTests
{
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
    private readonly InMemoryControlStore _store;
    private readonly ControlPlaneOperations _operations;
    private readonly EndpointSpec _spec = Specs.Endpoint(targets: 4, policy: new EndpointPolicy(CapacityFloor: 0.5, VelocityLimit: 0.25));

    public RollbackTests()
    {
        _store = new InMemoryControlStore(_time);
        _operations = new ControlPlaneOperations(_store, _time);
    }

    [Fact]
    public async Task Rollback_LastGood_WritesHigherGenerationWithOldRecords()
    {
        var g1 = await ApplyAsync("t1", "t2", "t3", "t4");
        var g2 = await ApplyAsync("t1", "t2", "t3");

        var (preview, plan) = await _operations.RollbackAsync(new RollbackRequest(_spec.Name, null, "bad change", "alice"));

        preview.Allowed.ShouldBeTrue(preview.Message);
        preview.Source.ShouldBe(g1);
        plan!.Generation.ShouldBeGreaterThan(g2);
        plan.Origin.ShouldBe(PlanOrigin.Rollback);
        plan.Records.Ids().ShouldBe(["t1", "t2", "t3", "t4"]);
        plan.Override.ShouldBeNull();
        (await _store.ReadAuditAsync(0, 100)).ShouldContain(a => a.Action == "rollback.written" && a.Actor == "alice");
    }

    [Fact]
    public async Task Rollback_LastGood_SkipsRejectedAndNeverAppliedPlans()
    {
        var g1 = await ApplyAsync("t1", "t2", "t3", "t4");
        var never = await WriteAsync("t1", "t2", "t3");
        await _store.RejectPlanAsync(_spec.Name, never, "az1", "test");
        await ApplyAsync("t2", "t3", "t4");
        (await _operations.PreviewRollbackAsync(new RollbackRequest(_spec.Name, null, "r", "alice"))).Source.ShouldBe(g1);
    }

    [Fact]
    public async Task Rollback_NoEarlierGoodPlan_IsRefusedWithReason()
    {
        await ApplyAsync("t1", "t2", "t3", "t4");
        var (preview, plan) = await _operations.RollbackAsync(new RollbackRequest(_spec.Name, null, "r", "alice"));
        preview.Allowed.ShouldBeFalse();
        preview.Message.ShouldContain("no earlier plan");
        plan.ShouldBeNull();
    }

    [Fact]
    public async Task Rollback_ToMissingGeneration_IsRefused()
    {
        await ApplyAsync("t1", "t2", "t3", "t4");
        var preview = await _operations.PreviewRollbackAsync(new RollbackRequest(_spec.Name, new Generation(77), "r", "alice"));
        preview.Allowed.ShouldBeFalse();
        preview.Message.ShouldContain("g77 of api.svc.example. does not exist");
    }

    [Fact]
    public async Task Rollback_ViolatingVelocity_IsRefusedUnlessOverriddenAndTheOverrideIsAudited()
    {
        var g1 = await ApplyAsync("t1", "t2");
        await ApplyAsync("t1", "t2", "t3", "t4");

        var refused = await _operations.PreviewRollbackAsync(new RollbackRequest(_spec.Name, g1, "r", "alice"));
        refused.Allowed.ShouldBeFalse();
        refused.Decisions.ShouldContain(d => d.Guardrail == GuardrailNames.VelocityLimit && d.Verdict == GuardrailVerdict.Refused);
        (await _store.ListPlansAsync(_spec.Name)).Count.ShouldBe(2, "a refused rollback writes nothing");

        var (preview, plan) = await _operations.RollbackAsync(new RollbackRequest(_spec.Name, g1, "r", "alice", Override: "restore known-good pair during incident 9"));
        preview.Allowed.ShouldBeTrue();
        plan!.Override.ShouldBe("restore known-good pair during incident 9");
        plan.Decisions.ShouldContain(d => d.Verdict == GuardrailVerdict.Overridden);
        var audit = await _store.ReadAuditAsync(0, 100);
        audit.ShouldContain(a => a.Action == "guardrail.override" && a.Detail.Contains(plan.Generation.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollback_Refusals_AreEachGuardrailsWordingForRollback()
    {
        var pair = await ApplyAsync("t1", "t2");
        var single = await ApplyAsync("t1");
        await ApplyAsync("t1", "t2", "t3", "t4");

        // Floor 0.5 of 40 is 20; velocity 0.25 of 40 is a budget of 10, of which t2 leaving the answer spent 10 already.
        var toPair = await _operations.PreviewRollbackAsync(new RollbackRequest(_spec.Name, pair, "r", "alice"));
        toPair.Decisions.ShouldBe([
            new GuardrailDecision(GuardrailNames.NonEmpty, GuardrailVerdict.Passed, "2 records"),
            new GuardrailDecision(GuardrailNames.CapacityFloor, GuardrailVerdict.Passed, "within limits"),
            new GuardrailDecision(GuardrailNames.VelocityLimit, GuardrailVerdict.Refused, "removes capacity 20 with 10 already removed in the window; budget 10", Alarm: true)]);
        var toSingle = await _operations.PreviewRollbackAsync(new RollbackRequest(_spec.Name, single, "r", "alice", Override: "drill"));
        toSingle.Decisions.ShouldContain(new GuardrailDecision(GuardrailNames.CapacityFloor, GuardrailVerdict.Overridden, "capacity of enabled targets 10 is below the floor 20; overridden by alice: drill", Alarm: true));
    }

    [Fact]
    public async Task Rollback_Written_IsAppliedByEnactorsLikeAnyPlan()
    {
        await ApplyAsync("t1", "t2", "t3", "t4");
        await ApplyAsync("t1", "t2", "t3");
        var (_, plan) = await _operations.RollbackAsync(new RollbackRequest(_spec.Name, null, "r", "alice"));
        await new Enactor("az1", _store, new EnactorOptions(), _time, new Random(1)).ReconcileOnceAsync();
        (await _store.GetAppliedAsync(_spec.Name))!.Generation.ShouldBe(plan!.Generation);
    }

    [Fact]
    public async Task Freeze_RequiresReason()
    {
        await Should.ThrowAsync<ArgumentException>(() => _operations.FreezeAsync(null, " ", "alice"));
    }

    private async Task<Generation> ApplyAsync(params string[] ids)
    {
        var g = await WriteAsync(ids);
        (await _store.ConditionalApplyAsync(_spec.Name, g, "az1")).Status.ShouldBe(ApplyStatus.Applied);
        return g;
    }

    private async Task<Generation> WriteAsync(params string[] ids)
    {
        if ((await _store.CountEndpointsAsync()) == 0)
        {
            await _store.PutEndpointAsync(_spec, "test");
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        var g = await _store.AllocateGenerationAsync();
        await _store.WritePlanAsync(Specs.Plan(_spec, g.Value, _time.GetUtcNow(), ids));
        return g;
    }
}
