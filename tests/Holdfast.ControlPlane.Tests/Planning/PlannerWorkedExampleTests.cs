using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Planning;

/// <summary>The worked example of docs/design/control-plane.md, step by step: if this fails, the doc is wrong.</summary>
public sealed class PlannerWorkedExampleTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 10, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly EndpointSpec s_spec = Specs.Endpoint(targets: 6, policy: new EndpointPolicy(CapacityFloor: 0.5, VelocityLimit: 0.34, VelocityWindow: TimeSpan.FromMinutes(5)));

    [Fact]
    public void WorkedExample_DesignDoc_EveryStepAsDocumented()
    {
        var plans = new List<Plan>();
        var health = HealthView.Empty;

        Step(0, health, plans).ShouldBe(["t1", "t2", "t3", "t4", "t5", "t6"]);

        health = health.Down(s_spec, s_t0.AddMinutes(1), "t1", "t2", "t3");
        Step(1, health, plans, GuardrailNames.VelocityLimit).ShouldBe(["t3", "t4", "t5", "t6"]);
        Step(3, health, plans, GuardrailNames.VelocityLimit).ShouldBeNull();
        Step(6, health, plans).ShouldBe(["t4", "t5", "t6"]);

        health = health.Down(s_spec, s_t0.AddMinutes(7), "t4", "t5", "t6");
        Step(7, health, plans, GuardrailNames.FailOpen).ShouldBe(["t1", "t2", "t3", "t4", "t5", "t6"]);

        health = health.Up(s_spec, s_t0.AddMinutes(9), "t1", "t2", "t3", "t4", "t5", "t6");
        Step(9, health, plans).ShouldBeNull();
    }

    private static string[]? Step(int minute, HealthView health, List<Plan> plans, string? expectFired = null)
    {
        var now = s_t0.AddMinutes(minute);
        var result = Planner.Plan(new PlannerInput(s_spec, health, plans.LastOrDefault(), plans, SelfPreservationStatus.Inactive, now));
        if (expectFired is not null)
        {
            result.Decisions.ShouldContain(d => d.Guardrail == expectFired && d.Fired, $"at 00:0{minute}");
        }

        if (result.Draft is null)
        {
            return null;
        }

        plans.Add(result.Draft.ToPlan(new Generation(plans.Count + 1), now));
        return result.Draft.Records.Ids();
    }
}
