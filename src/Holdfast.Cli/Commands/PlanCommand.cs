using System.CommandLine;
using Holdfast.Cli.Output;
using Holdfast.Server.Api;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast plan diff NAME [--from G] [--to G]</c>: the records two generations differ by (default: live →
/// latest). Exit 0 when they are the same, 1 when they differ — like <c>diff</c> and <c>terraform plan -detailed-exitcode</c>.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliServices services)
    {
        var plan = new Command("plan", "Inspect plans");
        plan.Add(Diff(services));
        return plan;
    }

    private static Command Diff(CliServices services)
    {
        var name = new Argument<string>("NAME") { Description = "Endpoint name" };
        var from = new Option<long?>("--from") { Description = "Generation to compare from [default: the live one]", HelpName = "G", CustomParser = GenerationText.ParseOption };
        var to = new Option<long?>("--to") { Description = "Generation to compare to [default: the latest one]", HelpName = "G", CustomParser = GenerationText.ParseOption };
        var command = new Command("diff", "Show the records two generations differ by; exit 0 when none, 1 when they differ") { name, from, to };
        command.SetClientAction(services, async run =>
        {
            var response = await run.Client.GetDiffAsync(run.Get(name)!, run.Get(from), run.Get(to), run.Cancellation);
            var diff = response.Value;
            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
            }
            else
            {
                run.Output.Line($"{run.Get(name)}: {CommandOutput.Generation(diff.From)} -> {CommandOutput.Generation(diff.To)}: {(HasDifferences(diff) ? "differences" : "no change")}");
                var table = CommandOutput.NewTable("", "RECORD");
                foreach (var added in diff.Added)
                {
                    CommandOutput.AddRow(table, "+", added);
                }

                foreach (var removed in diff.Removed)
                {
                    CommandOutput.AddRow(table, "-", removed);
                }

                foreach (var same in diff.Unchanged)
                {
                    CommandOutput.AddRow(table, " ", same);
                }

                run.Output.Render(table);
            }

            return HasDifferences(diff) ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    private static bool HasDifferences(DiffView diff) => diff.Added.Count > 0 || diff.Removed.Count > 0;
}
