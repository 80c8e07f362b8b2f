using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Guardrails;

/// <summary>The worked example of <see cref="VelocityLimitGuardrail"/>: limit 0.34, window 5 min, six targets of 10.</summary>
public sealed class VelocityLimitGuardrailTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 10, 20, 6, 0, 0, TimeSpan.Zero);
    private static readonly EndpointSpec s_spec = Specs.Endpoint(targets: 6, policy: new EndpointPolicy(CapacityFloor: 0, VelocityLimit: 0.34, VelocityWindow: TimeSpan.FromMinutes(5)));
    private static readonly string[] s_all = ["t1", "t2", "t3", "t4", "t5", "t6"];

    [Fact]
    public void Apply_RemovalsBeyondBudget_HoldsTheRest()
    {
        var health = HealthView.Empty.Down(s_spec, s_t0, "t1", "t2", "t3");
        var current = Specs.Records(s_spec, s_all);
        var proposed = Healthy("t4", "t5", "t6");
        var result = VelocityLimitGuardrail.Apply(s_spec, proposed, current, health, [Specs.Plan(s_spec, 1, s_t0.AddHours(-1), s_all)], s_t0, out var decision);
        result.Select(t => t.Id).Order().ShouldBe(["t3", "t4", "t5", "t6"]);
        decision.Verdict.ShouldBe(GuardrailVerdict.Held);
        decision.Reason.ShouldContain("holding t3");
    }

    [Fact]
    public void Apply_BudgetSpentInWindow_HoldsEverything()
    {
        var health = HealthView.Empty.Down(s_spec, s_t0, "t1", "t2", "t3");
        var history = new[] { Specs.Plan(s_spec, 1, s_t0.AddHours(-1), s_all), Specs.Plan(s_spec, 2, s_t0, "t3", "t4", "t5", "t6") };
        var result = VelocityLimitGuardrail.Apply(s_spec, Healthy("t4", "t5", "t6"), history[1].Records, health, history, s_t0.AddMinutes(2), out var decision);
        result.Select(t => t.Id).Order().ShouldBe(["t3", "t4", "t5", "t6"]);
        decision.Verdict.ShouldBe(GuardrailVerdict.Held);
    }

    [Fact]
    public void Apply_WindowPassed_RemovesAgain()
    {
        var health = HealthView.Empty.Down(s_spec, s_t0, "t1", "t2", "t3");
        var history = new[] { Specs.Plan(s_spec, 1, s_t0.AddHours(-1), s_all), Specs.Plan(s_spec, 2, s_t0, "t3", "t4", "t5", "t6") };
        var result = VelocityLimitGuardrail.Apply(s_spec, Healthy("t4", "t5", "t6"), history[1].Records, health, history, s_t0.AddMinutes(5).AddSeconds(1), out var decision);
        result.Select(t => t.Id).Order().ShouldBe(["t4", "t5", "t6"]);
        decision.Verdict.ShouldBe(GuardrailVerdict.Passed);
    }

    [Fact]
    public void Apply_Additions_AreNeverLimited()
    {
        var current = Specs.Records(s_spec, "t1");
        var result = VelocityLimitGuardrail.Apply(s_spec, Healthy(s_all), current, HealthView.Empty, [], s_t0, out var decision);
        result.Count.ShouldBe(6);
        decision.Verdict.ShouldBe(GuardrailVerdict.Passed);
    }

    [Fact]
    public void Apply_DrainedTargetRemoval_IsNotLimited()
    {
        var spec = s_spec.WithTargets([.. s_spec.Targets.Select(t => t.Id is "t1" or "t2" or "t3" ? t with { AdminState = TargetAdminState.Drained } : t)]);
        var current = Specs.Records(s_spec, s_all);
        var result = VelocityLimitGuardrail.Apply(spec, [.. spec.EnabledTargets], current, HealthView.Empty, [], s_t0, out var decision);
        result.Select(t => t.Id).Order().ShouldBe(["t4", "t5", "t6"]);
        decision.Verdict.ShouldBe(GuardrailVerdict.Passed);
    }

    [Fact]
    public void Apply_SingleTargetLargerThanBudget_OneRemovalAllowedInEmptyWindow()
    {
        // Two targets, limit 0.34 of 20 = 6 < 10: without the one-removal rule a two-target endpoint could never fail over.
        var spec = Specs.Endpoint(targets: 2, policy: new EndpointPolicy(CapacityFloor: 0, VelocityLimit: 0.34));
        var health = HealthView.Empty.Down(spec, s_t0, "t1");
        var result = VelocityLimitGuardrail.Apply(spec, [spec.FindTarget("t2")!], Specs.Records(spec, "t1", "t2"), health, [], s_t0, out _);
        result.Select(t => t.Id).ShouldBe(["t2"]);
    }

    private static List<Target> Healthy(params string[] ids) => [.. ids.Select(id => s_spec.FindTarget(id)!)];
}
