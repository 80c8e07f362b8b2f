using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Guardrails;

/// <summary>The worked examples of <see cref="NonEmptyGuardrail"/>'s table.</summary>
public sealed class NonEmptyGuardrailTests
{
    private static readonly DateTimeOffset s_now = new(2025, 10, 20, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Choose_NoEnabledTargets_RefusesWithAlarm()
    {
        var spec = Specs.Endpoint().WithTargets(Specs.Target("t1", 1, state: TargetAdminState.Drained));
        var chosen = NonEmptyGuardrail.Choose(spec, HealthView.Empty, hasCurrent: true, out var decision);
        chosen.ShouldBeNull();
        decision.Verdict.ShouldBe(GuardrailVerdict.Refused);
        decision.Guardrail.ShouldBe(GuardrailNames.NonEmpty);
        decision.Alarm.ShouldBeTrue();
    }

    [Fact]
    public void Choose_SomeDown_ReturnsOnlyHealthy()
    {
        var spec = Specs.Endpoint(targets: 3);
        var health = HealthView.Empty.Down(spec, s_now, "t2");
        var chosen = NonEmptyGuardrail.Choose(spec, health, hasCurrent: true, out var decision)!;
        chosen.Select(t => t.Id).ShouldBe(["t1", "t3"]);
        decision.Verdict.ShouldBe(GuardrailVerdict.Passed);
    }

    [Fact]
    public void Choose_AllDownWithFailOpen_PublishesAllEnabledAndAlarms()
    {
        var spec = Specs.Endpoint(targets: 3);
        var health = HealthView.Empty.Down(spec, s_now, "t1", "t2", "t3");
        var chosen = NonEmptyGuardrail.Choose(spec, health, hasCurrent: true, out var decision)!;
        chosen.Select(t => t.Id).ShouldBe(["t1", "t2", "t3"]);
        decision.Guardrail.ShouldBe(GuardrailNames.FailOpen);
        decision.Verdict.ShouldBe(GuardrailVerdict.Adjusted);
        decision.Alarm.ShouldBeTrue();
    }

    [Fact]
    public void Choose_AllDownWithoutFailOpen_KeepsCurrent()
    {
        var spec = Specs.Endpoint(targets: 3, policy: new EndpointPolicy(FailOpen: false));
        var health = HealthView.Empty.Down(spec, s_now, "t1", "t2", "t3");
        NonEmptyGuardrail.Choose(spec, health, hasCurrent: true, out var decision).ShouldBeNull();
        decision.Verdict.ShouldBe(GuardrailVerdict.Held);
    }

    [Fact]
    public void Choose_AllDownWithoutFailOpenAndNothingPublished_StillPublishesAll()
    {
        // With nothing published yet there is no "current" to keep: an empty answer is the only other choice.
        var spec = Specs.Endpoint(targets: 2, policy: new EndpointPolicy(FailOpen: false));
        var health = HealthView.Empty.Down(spec, s_now, "t1", "t2");
        NonEmptyGuardrail.Choose(spec, health, hasCurrent: false, out _)!.Count.ShouldBe(2);
    }

    [Fact]
    public void Choose_DrainedTarget_IsNeverChosen()
    {
        var spec = Specs.Endpoint().WithTargets(Specs.Target("t1", 1), Specs.Target("t2", 2, state: TargetAdminState.Drained));
        var health = HealthView.Empty.Down(spec, s_now, "t1");
        NonEmptyGuardrail.Choose(spec, health, hasCurrent: true, out _)!.Select(t => t.Id).ShouldBe(["t1"]);
    }
}
