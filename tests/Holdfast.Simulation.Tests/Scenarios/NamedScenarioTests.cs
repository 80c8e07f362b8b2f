namespace Holdfast.Simulation.Tests.Scenarios;

public sealed class NamedScenarioTests
{
    [Theory]
    [InlineData("monitor-lies")]
    [InlineData("flapping")]
    [InlineData("retry-storm")]
    public void Run_Fenced100Seeds_NoViolation(string scenario)
    {
        var report = SimulationRunner.RunSeeds(scenario, Protocol.Fenced, 100);

        report.Schedules.Count.ShouldBe(100);
        report.TotalViolations.ShouldBe(0, Summary(report));
    }

    [Fact]
    public void Run_MonitorLies_SelfPreservationEngagesInEverySchedule()
    {
        var report = SimulationRunner.RunSeeds("monitor-lies", Protocol.Fenced, 20);

        report.Schedules.ShouldAllBe(s => s.GuardrailFirings.GetValueOrDefault("self-preservation") > 0);
    }

    [Fact]
    public void Run_RetryStorm_NaiveRetriesAmplifyAndCollapseWhileBudgetedRetriesRecover()
    {
        var storm = SimulationRunner.Run("retry-storm", Protocol.Fenced, 1).Example.RetryStorm!;
        var naive = storm.Policies.Single(p => p.Policy == "naive");
        var plain = storm.Policies.Single(p => p.Policy == "backoff, no budget");
        var budgeted = storm.Policies.Single(p => p.Policy == "Holdfast.Client backoff+budget");

        naive.PeakAmplification.ShouldBeGreaterThan(10);
        plain.PeakAmplification.ShouldBeGreaterThan(budgeted.PeakAmplification, "backoff alone still multiplies the load by the attempts");
        naive.MaxQueued.ShouldBeGreaterThan(budgeted.MaxQueued * 100);
        naive.GoodputRecovery.ShouldBeNull();
        budgeted.PeakAmplification.ShouldBeLessThanOrEqualTo(Holdfast.Simulation.Scenarios.RetryStormScenario.MaxBudgetedAmplification);
        budgeted.GoodputRecovery.ShouldNotBeNull();
    }

    [Fact]
    public void Run_LegacyRandomFaults_TheCheckerFindsViolations()
    {
        // The same invariants that stay silent for the fenced protocol must speak up for the legacy one.
        var report = SimulationRunner.RunSeeds("random-faults", Protocol.Legacy, 20);

        report.TotalViolations.ShouldBeGreaterThan(0);
    }

    private static string Summary(SimulationReport report)
    {
        var writer = new StringWriter();
        report.WriteSummary(writer);
        return writer.ToString();
    }
}
