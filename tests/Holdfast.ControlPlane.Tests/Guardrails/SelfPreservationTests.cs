using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Guardrails;

/// <summary>The worked example of <see cref="SelfPreservation"/>: 10 targets, enter 0.5 within 2 min, exit 0.2.</summary>
public sealed class SelfPreservationTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 10, 20, 6, 0, 0, TimeSpan.Zero);
    private static readonly EndpointSpec s_spec = Specs.Endpoint(targets: 10);
    private static readonly SelfPreservationSettings s_settings = new();

    [Fact]
    public void Evaluate_WorkedExample_EntersHoldsAndExits()
    {
        var health = HealthView.Empty.Down(s_spec, s_t0.AddHours(-1), "t1");
        var status = SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, SelfPreservationStatus.Inactive, s_settings, s_t0);
        status.Active.ShouldBeFalse();

        health = health.Down(s_spec, s_t0.AddSeconds(20), "t2", "t3", "t4", "t5", "t6");
        status = SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, status, s_settings, s_t0.AddSeconds(30));
        status.Active.ShouldBeTrue();
        status.Reason.ShouldContain("5 of 10");

        status = SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, status, s_settings, s_t0.AddMinutes(5));
        status.Active.ShouldBeTrue();

        health = health.Up(s_spec, s_t0.AddMinutes(6), "t3", "t4", "t5", "t6");
        status = SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, status, s_settings, s_t0.AddMinutes(6));
        status.Active.ShouldBeFalse();
        status.Reason.ShouldContain("recovered");
    }

    [Fact]
    public void Evaluate_GradualDecline_DoesNotEnter()
    {
        var health = HealthView.Empty;
        var status = SelfPreservationStatus.Inactive;
        for (var i = 1; i <= 6; i++)
        {
            var at = s_t0.AddMinutes(3 * i);
            health = health.Down(s_spec, at, $"t{i}");
            status = SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, status, s_settings, at);
            status.Active.ShouldBeFalse($"after t{i} went down");
        }
    }

    [Fact]
    public void Evaluate_OperatorRelease_StaysReleasedUntilNewFailures()
    {
        var health = HealthView.Empty.Down(s_spec, s_t0, "t1", "t2", "t3", "t4", "t5", "t6");
        var status = SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, SelfPreservationStatus.Inactive, s_settings, s_t0);
        status.Active.ShouldBeTrue();

        status = SelfPreservation.Release(status, Specs.Zone, s_t0.AddSeconds(10));
        status = SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, status, s_settings, s_t0.AddSeconds(20));
        status.Active.ShouldBeFalse("the same failures must not re-enter after a release");

        health = health.Down(s_spec, s_t0.AddSeconds(30), "t7", "t8", "t9", "t10");
        status = SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, status, s_settings, s_t0.AddSeconds(40));
        status.Active.ShouldBeFalse("4 new failures of 10 are below the enter fraction");
    }

    [Fact]
    public void Evaluate_FirstRunAfterRestart_CountsOldFailuresAsRecent()
    {
        var health = HealthView.Empty.Down(s_spec, s_t0.AddHours(-3), "t1", "t2", "t3", "t4", "t5");
        SelfPreservation.Evaluate(Specs.Zone, [s_spec], health, previous: null, s_settings, s_t0).Active.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_SmallZone_NeverEnters()
    {
        var small = Specs.Endpoint(targets: 3);
        var health = HealthView.Empty.Down(small, s_t0, "t1", "t2", "t3");
        SelfPreservation.Evaluate(Specs.Zone, [small], health, SelfPreservationStatus.Inactive, s_settings, s_t0).Active.ShouldBeFalse();
    }
}
