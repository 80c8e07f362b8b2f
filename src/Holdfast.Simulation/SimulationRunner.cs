using System.Collections.Concurrent;
using Holdfast.Simulation.Scenarios;

namespace Holdfast.Simulation;

/// <summary>
/// Runs named scenarios over seeds. Each schedule is isolated (its own scheduler, store and random
/// sources), so seeds run in parallel; results are gathered in seed order, so the report does not depend
/// on the parallelism.
/// </summary>
public static class SimulationRunner
{
    public static IReadOnlyList<Scenario> Scenarios { get; } =
    [
        new October2025Scenario(),
        new RandomFaultsScenario(),
        new MonitorLiesScenario(),
        new FlappingScenario(),
        new RetryStormScenario(),
    ];

    public static Scenario? Find(string name) => Scenarios.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>One schedule: <paramref name="scenario"/> under <paramref name="protocol"/> with <paramref name="seed"/>.</summary>
    public static SimulationReport Run(string scenario, Protocol protocol, int seed) => Run(scenario, protocol, [seed]);

    /// <summary>Seeds 1..<paramref name="seeds"/> (the CLI's <c>--seeds N</c>).</summary>
    public static SimulationReport RunSeeds(string scenario, Protocol protocol, int seeds, int firstSeed = 1) =>
        Run(scenario, protocol, Enumerable.Range(firstSeed, seeds).ToArray());

    /// <exception cref="ArgumentException">The scenario does not exist, or no seed was given.</exception>
    public static SimulationReport Run(string scenario, Protocol protocol, IReadOnlyList<int> seeds, int maxParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var found = Find(scenario) ?? throw new ArgumentException($"unknown scenario '{scenario}'; known: {string.Join(", ", Scenarios.Select(s => s.Name))}", nameof(scenario));
        if (seeds.Count == 0)
        {
            throw new ArgumentException("at least one seed is needed", nameof(seeds));
        }

        var summaries = new ScheduleSummary[seeds.Count];
        var kept = new ConcurrentDictionary<int, ScheduleResult>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        Parallel.For(0, seeds.Count, options, i =>
        {
            var result = found.Run(protocol, seeds[i]);
            summaries[i] = new ScheduleSummary(result.Seed, result.Violations.Count, result.EmptyAnswerObserved, result.Stuck, result.GuardrailFirings, result.FaultsInjected);
            // Keep the first schedule whole, and any violating one (only the lowest index is used).
            if (i == 0 || result.Violations.Count > 0)
            {
                kept[i] = result;
            }
        });

        var example = kept.Where(k => k.Value.Violations.Count > 0).OrderBy(k => k.Key).Select(k => k.Value).FirstOrDefault() ?? kept[0];
        return new SimulationReport
        {
            Scenario = found.Name,
            Protocol = protocol,
            Schedules = summaries,
            SimulatedTime = TimeSpan.FromTicks(found is ControlPlaneScenario cp ? cp.Duration.Ticks * seeds.Count : example.SimulatedTime.Ticks * seeds.Count),
            ViolationsByInvariant = Sum(kept.Values.SelectMany(r => r.Violations).GroupBy(v => v.Invariant).Select(g => (g.Key, g.Count()))),
            GuardrailFirings = Sum(summaries.SelectMany(s => s.GuardrailFirings).Select(kv => (kv.Key, kv.Value))),
            FaultsInjected = Sum(summaries.SelectMany(s => s.FaultsInjected).Select(kv => (kv.Key, kv.Value))),
            Example = example,
        };
    }

    private static SortedDictionary<string, int> Sum(IEnumerable<(string Key, int Value)> items)
    {
        var sums = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            sums[key] = sums.GetValueOrDefault(key) + value;
        }

        return sums;
    }
}
