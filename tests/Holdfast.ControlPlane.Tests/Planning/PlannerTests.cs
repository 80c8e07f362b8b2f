using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Planning;

public sealed class PlannerTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 10, 20, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Plan_NoPlanYet_PublishesEveryHealthyTargetSortedById()
    {
        var spec = Specs.Endpoint(targets: 3);
        var result = Planner.Plan(Input(spec, HealthView.Empty, null));
        result.Draft.ShouldNotBeNull();
        result.Draft.Records.Ids().ShouldBe(["t1", "t2", "t3"]);
        result.Draft.Reason.ShouldBe("first plan: 3 records");
    }

    [Fact]
    public void Plan_SameInputsTwice_SecondRunChangesNothing()
    {
        var spec = Specs.Endpoint(targets: 6);
        var health = HealthView.Empty.Down(spec, s_t0, "t2");
        var first = Planner.Plan(Input(spec, health, null)).Draft!.ToPlan(new Generation(1), s_t0);
        var again = Planner.Plan(Input(spec, health, first, [first]));
        again.HasChange.ShouldBeFalse();
    }

    [Fact]
    public void Plan_IsPure_SameInputGivesEqualResult()
    {
        var spec = Specs.Endpoint(targets: 6);
        var health = HealthView.Empty.Down(spec, s_t0, "t2", "t5");
        var latest = Specs.Plan(spec, 3, s_t0.AddHours(-1), "t1", "t2", "t3", "t4", "t5", "t6");
        var input = Input(spec, health, latest, [latest]);
        var a = Planner.Plan(input);
        var b = Planner.Plan(input);
        a.Draft!.Records.ShouldBe(b.Draft!.Records);
        a.Draft.InputsHash.ShouldBe(b.Draft.InputsHash);
        a.Decisions.ShouldBe(b.Decisions);
    }

    [Fact]
    public void Plan_TargetGoesDown_RemovesItAndNamesTheChange()
    {
        var spec = Specs.Endpoint(targets: 3, policy: new EndpointPolicy(CapacityFloor: 0.5));
        var latest = Specs.Plan(spec, 1, s_t0.AddHours(-1), "t1", "t2", "t3");
        var result = Planner.Plan(Input(spec, HealthView.Empty.Down(spec, s_t0, "t2"), latest, [latest]));
        result.Draft!.Records.Ids().ShouldBe(["t1", "t3"]);
        result.Draft.Reason.ShouldBe("-t2");
    }

    [Fact]
    public void Plan_AllDown_FailsOpenWithAllEnabledTargets()
    {
        var spec = Specs.Endpoint(targets: 3);
        var latest = Specs.Plan(spec, 1, s_t0.AddHours(-1), "t1");
        var result = Planner.Plan(Input(spec, HealthView.Empty.Down(spec, s_t0, "t1", "t2", "t3"), latest, [latest]));
        result.Draft!.Records.Ids().ShouldBe(["t1", "t2", "t3"]);
        result.Decisions.ShouldContain(d => d.Guardrail == GuardrailNames.FailOpen && d.Alarm);
    }

    [Fact]
    public void Plan_EveryTargetDrained_WritesNoPlan()
    {
        var spec = Specs.Endpoint(targets: 2);
        var drained = spec.WithTargets([.. spec.Targets.Select(t => t with { AdminState = TargetAdminState.Drained })]);
        var latest = Specs.Plan(spec, 1, s_t0.AddHours(-1), "t1", "t2");
        var result = Planner.Plan(Input(drained, HealthView.Empty, latest, [latest]));
        result.HasChange.ShouldBeFalse();
        result.Decisions.ShouldContain(d => d.Guardrail == GuardrailNames.NonEmpty && d.Verdict == GuardrailVerdict.Refused);
    }

    [Fact]
    public void Plan_SelfPreservationActive_HoldsRemovalsButAllowsAdditions()
    {
        var spec = Specs.Endpoint(targets: 4, policy: new EndpointPolicy(CapacityFloor: 0));
        var latest = Specs.Plan(spec, 1, s_t0.AddHours(-1), "t1", "t2", "t3");
        var active = new SelfPreservationStatus(true, s_t0, "monitors suspect");
        var result = Planner.Plan(Input(spec, HealthView.Empty.Down(spec, s_t0, "t1", "t2"), latest, [latest], active));
        result.Draft!.Records.Ids().ShouldBe(["t1", "t2", "t3", "t4"]);
        result.Decisions.ShouldContain(d => d.Guardrail == GuardrailNames.SelfPreservation && d.Verdict == GuardrailVerdict.Held);
    }

    [Fact]
    public void Plan_WeightChange_WritesNewPlan()
    {
        var spec = Specs.Endpoint(targets: 2);
        var latest = Specs.Plan(spec, 1, s_t0.AddHours(-1), "t1", "t2");
        var reweighted = spec.WithTargets(spec.Targets[0] with { Weight = 5 }, spec.Targets[1]);
        var result = Planner.Plan(Input(reweighted, HealthView.Empty, latest, [latest]));
        result.Draft!.Reason.ShouldBe("~t1");
    }

    [Fact]
    public void Plan_RecoveredTarget_IsAddedBack()
    {
        var spec = Specs.Endpoint(targets: 3);
        var latest = Specs.Plan(spec, 2, s_t0.AddHours(-1), "t1", "t3");
        var result = Planner.Plan(Input(spec, HealthView.Empty.Up(spec, s_t0, "t2"), latest, [latest]));
        result.Draft!.Records.Ids().ShouldBe(["t1", "t2", "t3"]);
        result.Draft.Reason.ShouldBe("+t2");
    }

    private static PlannerInput Input(EndpointSpec spec, HealthView health, Plan? latest, IReadOnlyList<Plan>? recent = null, SelfPreservationStatus? sp = null) =>
        new(spec, health, latest, recent ?? [], sp ?? SelfPreservationStatus.Inactive, s_t0);
}
