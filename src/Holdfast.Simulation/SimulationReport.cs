using System.Globalization;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.Simulation.Invariants;

namespace Holdfast.Simulation;

/// <summary>
/// The result of running a scenario over one or more seeds: counts over all schedules, a per-schedule
/// summary, the first violation with the event log around it, and one schedule kept whole for the charts
/// (the first that violated something, else the first seed).
/// </summary>
public sealed record SimulationReport
{
    public required string Scenario { get; init; }

    public required Protocol Protocol { get; init; }

    public required IReadOnlyList<ScheduleSummary> Schedules { get; init; }

    public required TimeSpan SimulatedTime { get; init; }

    public required IReadOnlyDictionary<string, int> ViolationsByInvariant { get; init; }

    public required IReadOnlyDictionary<string, int> GuardrailFirings { get; init; }

    public required IReadOnlyDictionary<string, int> FaultsInjected { get; init; }

    /// <summary>The schedule kept whole: the first violating one, else the first.</summary>
    public required ScheduleResult Example { get; init; }

    public int TotalViolations => ViolationsByInvariant.Values.Sum();

    public int EmptyAnswerSchedules => Schedules.Count(s => s.EmptyAnswerObserved);

    public int StuckSchedules => Schedules.Count(s => s.Stuck);

    /// <summary>
    /// The violation to show first for <see cref="Example"/>: its first empty answer (I1) if it had one — the
    /// failure clients feel — else its earliest violation; null when there is none.
    /// </summary>
    public Violation? FirstViolation =>
        Example.Violations.FirstOrDefault(v => v.Invariant == InvariantNames.NeverEmpty) ?? (Example.Violations.Count > 0 ? Example.Violations[0] : null);

    /// <summary>The command that replays <paramref name="seed"/> of this scenario and protocol.</summary>
    public string ReproCommand(int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"holdfast sim --scenario {Scenario} --protocol {Protocol.ToString().ToLowerInvariant()} --seed {seed}");

    /// <summary>Writes the summary table; on a violation also the seed, the log around it and the repro command.</summary>
    public void WriteSummary(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var inv = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(inv, $"scenario        {Scenario} ({Protocol.ToString().ToLowerInvariant()})"));
        writer.WriteLine(string.Create(inv, $"schedules       {Schedules.Count}"));
        writer.WriteLine(string.Create(inv, $"simulated hours {SimulatedTime.TotalHours:0.00}"));
        writer.WriteLine(string.Create(inv, $"empty answers   {EmptyAnswerSchedules} schedules"));
        writer.WriteLine(string.Create(inv, $"stuck           {StuckSchedules} schedules"));
        writer.WriteLine("violations by invariant");
        foreach (var name in InvariantNames.All)
        {
            writer.WriteLine(string.Create(inv, $"  {name,-24} {ViolationsByInvariant.GetValueOrDefault(name)}"));
        }

        writer.WriteLine("guardrail firings");
        foreach (var name in GuardrailNames.All)
        {
            writer.WriteLine(string.Create(inv, $"  {name,-24} {GuardrailFirings.GetValueOrDefault(name)}"));
        }

        if (FaultsInjected.Count > 0)
        {
            writer.WriteLine("faults injected");
            foreach (var (name, count) in FaultsInjected)
            {
                writer.WriteLine(string.Create(inv, $"  {name,-24} {count}"));
            }
        }

        if (FirstViolation is { } first)
        {
            writer.WriteLine(string.Create(inv, $"{(first.Invariant == InvariantNames.NeverEmpty ? "first empty answer" : "first violation")}: seed {Example.Seed} at {first.At.TotalSeconds:0.000}s {first.Invariant} {first.Endpoint}: {first.Detail}"));
            writer.WriteLine("event log around it:");
            var start = Math.Max(0, first.LogIndex - 20);
            foreach (var line in Example.EventLog.Skip(start).Take(first.LogIndex - start + 3))
            {
                writer.WriteLine("  " + line);
            }

            writer.WriteLine("reproduce with: " + ReproCommand(Example.Seed));
        }
    }
}
