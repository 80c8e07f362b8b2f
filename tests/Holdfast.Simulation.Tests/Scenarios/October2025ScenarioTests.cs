using Holdfast.Simulation.Invariants;
using Holdfast.Simulation.Scenarios;

namespace Holdfast.Simulation.Tests.Scenarios;

public sealed class October2025ScenarioTests
{
    [Fact]
    public void Run_Legacy_ReachesEmptyAnswerAndStaysStuck()
    {
        var result = new October2025Scenario().Run(Protocol.Legacy, 1);
        TestContext.Current.TestOutputHelper!.WriteLine(string.Join('\n', result.EventLog.Take(80)));
        TestContext.Current.TestOutputHelper!.WriteLine(string.Join('\n', result.Violations));
        result.EmptyAnswerObserved.ShouldBeTrue();
        result.Stuck.ShouldBeTrue();
        result.Violations.Select(v => v.Invariant).ShouldContain(InvariantNames.NeverEmpty);
    }

    [Fact]
    public void Run_Fenced_HasNoViolation()
    {
        var result = new October2025Scenario().Run(Protocol.Fenced, 1);
        TestContext.Current.TestOutputHelper!.WriteLine(string.Join('\n', result.EventLog.Take(200)));
        result.Violations.ShouldBeEmpty();
        result.EmptyAnswerObserved.ShouldBeFalse();
    }

    [Fact]
    public void Run_RandomFaults_Timing()
    {
        var result = new RandomFaultsScenario().Run(Protocol.Fenced, 1);
        TestContext.Current.TestOutputHelper!.WriteLine(string.Join('\n', result.Violations));
        TestContext.Current.TestOutputHelper!.WriteLine(result.EventsRun + " events " + string.Join(',', result.GuardrailFirings) + " | " + string.Join(',', result.FaultsInjected));
        TestContext.Current.TestOutputHelper!.WriteLine(string.Join('\n', result.EventLog.Take(300)));
        result.Violations.ShouldBeEmpty();
    }
}
