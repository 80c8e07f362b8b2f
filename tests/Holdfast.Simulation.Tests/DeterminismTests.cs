using Holdfast.Simulation.Scenarios;

namespace Holdfast.Simulation.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void Run_SameSeedTwice_GivesByteIdenticalEventLogs()
    {
        var scenario = new RandomFaultsScenario();
        var mismatched = new List<int>();
        Parallel.For(1, 101, seed =>
        {
            var first = string.Join('\n', scenario.Run(Protocol.Fenced, seed).EventLog);
            var second = string.Join('\n', scenario.Run(Protocol.Fenced, seed).EventLog);
            if (!string.Equals(first, second, StringComparison.Ordinal) || first.Length < 1000)
            {
                lock (mismatched)
                {
                    mismatched.Add(seed);
                }
            }
        });

        mismatched.ShouldBeEmpty();
    }

    [Fact]
    public void Run_DifferentSeeds_GiveDifferentSchedules()
    {
        var scenario = new RandomFaultsScenario();
        var logs = Enumerable.Range(1, 10).Select(seed => string.Join('\n', scenario.Run(Protocol.Fenced, seed).EventLog)).ToList();

        logs.Distinct(StringComparer.Ordinal).Count().ShouldBe(10);
    }

    [Fact]
    public void Run_LegacyOctober2025SameSeedTwice_GivesIdenticalLogsAndViolations()
    {
        var scenario = new October2025Scenario();
        var first = scenario.Run(Protocol.Legacy, 7);
        var second = scenario.Run(Protocol.Legacy, 7);

        string.Join('\n', second.EventLog).ShouldBe(string.Join('\n', first.EventLog));
        second.Violations.ShouldBe(first.Violations);
    }
}
