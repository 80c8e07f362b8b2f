using System.Globalization;
using Holdfast.Simulation.Reporting;

namespace Holdfast.Simulation;

/// <summary>
/// <c>holdfast sim --scenario NAME [--protocol fenced|legacy] [--seeds N | --seed S] [--report out.html]</c>.
/// Exit codes: 0 no invariant violated, 1 some violated, 2 usage error. The last line written to stdout is
/// always <c>schedules=N violations=M</c> when a run happened.
/// </summary>
public static class SimulationCommandLine
{
    public const int Success = 0;
    public const int ViolationFound = 1;
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? scenario = null;
        string? report = null;
        var protocol = Protocol.Fenced;
        int? seeds = null;
        int? seed = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--scenario" when value is not null:
                    scenario = value;
                    i++;
                    break;
                case "--protocol" when value is "fenced" or "legacy":
                    protocol = value == "fenced" ? Protocol.Fenced : Protocol.Legacy;
                    i++;
                    break;
                case "--seeds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    seeds = n;
                    i++;
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    i++;
                    break;
                case "--report" when value is not null:
                    report = value;
                    i++;
                    break;
                case "-h" or "--help":
                    Usage(stdout);
                    return Success;
                default:
                    stderr.WriteLine($"holdfast sim: unexpected or invalid argument '{args[i]}'{(value is null ? string.Empty : $" '{value}'")}");
                    Usage(stderr);
                    return UsageError;
            }
        }

        if (scenario is null || (seeds is not null && seed is not null))
        {
            stderr.WriteLine(scenario is null ? "holdfast sim: --scenario is required" : "holdfast sim: give --seeds N or --seed S, not both");
            Usage(stderr);
            return UsageError;
        }

        if (SimulationRunner.Find(scenario) is null)
        {
            stderr.WriteLine($"holdfast sim: unknown scenario '{scenario}'");
            Usage(stderr);
            return UsageError;
        }

        var result = seed is { } one
            ? SimulationRunner.Run(scenario, protocol, one)
            : SimulationRunner.RunSeeds(scenario, protocol, seeds ?? 1);
        result.WriteSummary(stdout);
        if (report is not null)
        {
            File.WriteAllText(report, HtmlReportWriter.Write(result));
            stdout.WriteLine("report written to " + report);
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"schedules={result.Schedules.Count} violations={result.TotalViolations}"));
        return result.TotalViolations == 0 ? Success : ViolationFound;
    }

    private static void Usage(TextWriter writer)
    {
        writer.WriteLine("usage: holdfast sim --scenario NAME [--protocol fenced|legacy] [--seeds N | --seed S] [--report out.html]");
        writer.WriteLine("scenarios:");
        foreach (var s in SimulationRunner.Scenarios)
        {
            writer.WriteLine($"  {s.Name,-14} {s.Description}");
        }
    }
}
