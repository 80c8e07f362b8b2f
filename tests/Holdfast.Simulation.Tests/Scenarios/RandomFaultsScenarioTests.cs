using Holdfast.ControlPlane.Guardrails;
using Holdfast.Simulation.Faults;
using Holdfast.Simulation.Scenarios;

namespace Holdfast.Simulation.Tests.Scenarios;

public sealed class RandomFaultsScenarioTests
{
    private const int Schedules = 10_000;
    private const int Block = 1_000;

    [Fact]
    public void Run_TenThousandFencedSchedules_NoViolationAndEveryGuardrailFiresInEveryThousand()
    {
        new RandomFaultsScenario().Duration.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(10));

        var report = SimulationRunner.RunSeeds("random-faults", Protocol.Fenced, Schedules);

        var summary = new StringWriter();
        report.WriteSummary(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary.ToString());
        report.Schedules.Count.ShouldBe(Schedules);
        report.TotalViolations.ShouldBe(0, summary.ToString());
        for (var block = 0; block < Schedules / Block; block++)
        {
            var schedules = report.Schedules.Skip(block * Block).Take(Block).ToList();
            foreach (var guardrail in GuardrailNames.All)
            {
                schedules.Sum(s => s.GuardrailFirings.GetValueOrDefault(guardrail)).ShouldBeGreaterThan(0, $"{guardrail} never fired in schedules {(block * Block) + 1}..{(block + 1) * Block}");
            }
        }

        foreach (var site in FaultSites.All)
        {
            report.FaultsInjected.GetValueOrDefault(site).ShouldBeGreaterThan(0, site);
        }
    }
}
