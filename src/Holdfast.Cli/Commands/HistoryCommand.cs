using System.CommandLine;
using Holdfast.Cli.Output;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast history NAME</c>: the endpoint's plans newest first, with the reason each was written and every
/// guardrail decision that changed, held, refused or was overridden on it (passes are left out).
/// </summary>
internal static class HistoryCommand
{
    public static Command Create(CliServices services)
    {
        var name = new Argument<string>("NAME") { Description = "Endpoint name" };
        var command = new Command("history", "Show an endpoint's plans newest first, with reasons and the guardrail decisions that fired") { name };
        command.SetClientAction(services, async run =>
        {
            var response = await run.Client.GetPlansAsync(run.Get(name)!, run.Cancellation);
            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
                return ExitCodes.Ok;
            }

            var table = CommandOutput.NewTable("GENERATION", "CREATED", "ORIGIN", "STATE", "RECORDS", "REASON", "GUARDRAILS");
            foreach (var plan in response.Value.OrderByDescending(p => p.Generation))
            {
                var fired = plan.Decisions.Where(d => !string.Equals(d.Verdict, "passed", StringComparison.OrdinalIgnoreCase))
                    .Select(d => $"{d.Guardrail} {d.Verdict}: {d.Reason}");
                var guardrails = string.Join("; ", fired);
                CommandOutput.AddRow(table, CommandOutput.Generation(plan.Generation), CommandOutput.Time(plan.CreatedAt), plan.Origin, CommandOutput.PlanState(plan),
                    CommandOutput.List(plan.Records), plan.Override is null ? plan.Reason : $"{plan.Reason} (override: {plan.Override})", guardrails.Length == 0 ? "-" : guardrails);
            }

            run.Output.Render(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
