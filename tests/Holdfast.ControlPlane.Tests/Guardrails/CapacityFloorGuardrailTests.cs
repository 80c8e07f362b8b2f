using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Guardrails;

public sealed class CapacityFloorGuardrailTests
{
    // Worked example of the doc comment: floor 0.5, a=40 b=30 c=20 d=10, a and b down.
    private static readonly EndpointSpec s_spec = Specs.Endpoint(policy: new EndpointPolicy(CapacityFloor: 0.5)).WithTargets(
        Specs.Target("a", 1, capacity: 40), Specs.Target("b", 2, capacity: 30), Specs.Target("c", 3, capacity: 20), Specs.Target("d", 4, capacity: 10));

    [Fact]
    public void Apply_BelowFloor_KeepsLargestDownTargetIn()
    {
        var proposed = new List<Target> { s_spec.FindTarget("c")!, s_spec.FindTarget("d")! };
        var result = CapacityFloorGuardrail.Apply(s_spec, proposed, [], out var decision);
        result.Select(t => t.Id).Order().ShouldBe(["a", "c", "d"]);
        decision.Verdict.ShouldBe(GuardrailVerdict.Adjusted);
        decision.Reason.ShouldContain("floor 50");
    }

    [Fact]
    public void Apply_BelowFloor_PrefersTargetsAlreadyPublished()
    {
        var proposed = new List<Target> { s_spec.FindTarget("c")!, s_spec.FindTarget("d")! };
        var current = Specs.Records(s_spec, "b", "c", "d");
        var result = CapacityFloorGuardrail.Apply(s_spec, proposed, current, out _);
        result.Select(t => t.Id).Order().ShouldBe(["b", "c", "d"]);
    }

    [Fact]
    public void Apply_AtFloor_Passes()
    {
        var proposed = new List<Target> { s_spec.FindTarget("a")!, s_spec.FindTarget("d")! };
        CapacityFloorGuardrail.Apply(s_spec, proposed, [], out var decision).Count.ShouldBe(2);
        decision.Verdict.ShouldBe(GuardrailVerdict.Passed);
    }

    [Fact]
    public void FloorOf_RoundsUp()
    {
        var spec = Specs.Endpoint(targets: 3, policy: new EndpointPolicy(CapacityFloor: 0.5));
        CapacityFloorGuardrail.FloorOf(spec).ShouldBe(15);
        CapacityFloorGuardrail.FloorOf(Specs.Endpoint(targets: 3, policy: new EndpointPolicy(CapacityFloor: 0.34))).ShouldBe(11);
    }
}
