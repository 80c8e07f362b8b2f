using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Guardrails;

public sealed class EnactorRecheckTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 10, 20, 6, 0, 0, TimeSpan.Zero);
    private static readonly EndpointSpec s_spec = Specs.Endpoint(targets: 4, policy: new EndpointPolicy(CapacityFloor: 0.5));

    [Fact]
    public void Check_EmptyPlan_IsRefusedEvenWithOverride()
    {
        var plan = Specs.Plan(s_spec, 5, s_t0) with { Override = "operator said so" };
        var decision = Recheck(plan, s_spec);
        decision.Verdict.ShouldBe(GuardrailVerdict.Refused);
        decision.Alarm.ShouldBeTrue();
    }

    [Fact]
    public void Check_BelowFloor_IsRefused()
    {
        Recheck(Specs.Plan(s_spec, 5, s_t0, "t1"), s_spec).Verdict.ShouldBe(GuardrailVerdict.Refused);
    }

    [Fact]
    public void Check_AtFloor_Passes()
    {
        Recheck(Specs.Plan(s_spec, 5, s_t0, "t1", "t2"), s_spec).Verdict.ShouldBe(GuardrailVerdict.Passed);
    }

    [Fact]
    public void Check_BelowFloorWithOverride_IsOverridden()
    {
        var plan = Specs.Plan(s_spec, 5, s_t0, "t1") with { Override = "drill" };
        Recheck(plan, s_spec).Verdict.ShouldBe(GuardrailVerdict.Overridden);
    }

    [Fact]
    public void Check_RecordsOfDrainedTargets_DoNotCountTowardsFloor()
    {
        var spec = s_spec.WithTargets([.. s_spec.Targets.Select(t => t.Id == "t2" ? t with { AdminState = TargetAdminState.Drained } : t)]);
        Recheck(Specs.Plan(s_spec, 5, s_t0, "t1", "t2"), spec).Verdict.ShouldBe(GuardrailVerdict.Refused);
    }

    [Fact]
    public void Check_Reasons_AreTheFloorsWordingForTheEnactor()
    {
        Recheck(Specs.Plan(s_spec, 5, s_t0, "t1"), s_spec).Reason.ShouldBe("g5 publishes capacity 10 of enabled targets, below the floor 20");
        Recheck(Specs.Plan(s_spec, 5, s_t0, "t1", "t2"), s_spec).Reason.ShouldBe("capacity 20 ≥ floor 20");
        Recheck(Specs.Plan(s_spec, 5, s_t0, "t1") with { Override = "drill" }, s_spec).Reason.ShouldBe("non-empty; floor waived by override: drill");
    }

    private static GuardrailDecision Recheck(Plan plan, EndpointSpec spec) =>
        EnactorRecheck.Check(plan, new StoredEndpoint(spec.Name, spec, null, []), s_t0, GuardrailRegistry.Default);
}
