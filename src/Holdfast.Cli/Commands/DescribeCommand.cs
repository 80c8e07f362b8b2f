using System.CommandLine;
using Holdfast.Cli.Api.Contracts;
using Holdfast.Cli.Output;
using Spectre.Console;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast describe endpoint NAME</c>: everything an operator needs about one endpoint on one screen —
/// policy, the live and latest plan (and whether a change is waiting), targets with health per source, and
/// recent events.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create(CliServices services)
    {
        var name = new Argument<string>("NAME") { Description = "Endpoint name" };
        var endpoint = new Command("endpoint", "Show an endpoint's policy, live and latest plan, targets with health per source, and recent events") { name };
        endpoint.SetClientAction(services, async run =>
        {
            var response = await run.Client.GetEndpointAsync(run.Get(name)!, run.Cancellation);
            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
                return ExitCodes.Ok;
            }

            Render(run.Output, response.Value);
            return ExitCodes.Ok;
        });
        return new Command("describe", "Show one object in detail") { endpoint };
    }

    private static void Render(CommandOutput output, EndpointDetail e)
    {
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow(new Text(key), new Text(value ?? "-"));
        Row("name", e.Name);
        Row("zone", e.Zone);
        Row("ttl", e.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("max answers", e.MaxAnswers == 0 ? "all" : e.MaxAnswers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("policy", e.Policy is { } p ? CommandOutput.Describe(p) : null);
        Row("frozen", e.Frozen ? "yes" : "no");
        Row("live", PlanLine(e.LiveGeneration, e.Live));
        Row("latest", e.LatestGeneration == e.LiveGeneration ? "same as live" : PlanLine(e.LatestGeneration, e.Latest) + " (waiting to be applied)");
        Row("answer", CommandOutput.List(e.Answer));
        output.Render(grid);

        var decisions = (e.Latest ?? e.Live)?.Decisions ?? [];
        if (decisions.Count > 0)
        {
            var table = CommandOutput.NewTable("GUARDRAIL", "VERDICT", "REASON");
            foreach (var d in decisions)
            {
                CommandOutput.AddRow(table, d.Guardrail, d.Verdict, d.Reason);
            }

            output.Line();
            output.Line("Guardrail decisions on the latest plan:");
            output.Render(table);
        }

        var targets = CommandOutput.NewTable("TARGET", "ADDRESS", "AZ", "WEIGHT", "CAPACITY", "ADMIN", "HEALTH", "SOURCE", "STATE", "CHECKED", "LAST FAILURE");
        foreach (var t in e.Targets ?? [])
        {
            var sources = t.Sources is { Count: > 0 } s ? s : [new SourceHealth("-", null, null, null)];
            for (var i = 0; i < sources.Count; i++)
            {
                var first = i == 0;
                CommandOutput.AddRow(targets, first ? t.Id : string.Empty, first ? t.Address : string.Empty, first ? t.Az : string.Empty,
                    first ? t.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
                    first ? t.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
                    first ? t.AdminState : string.Empty, first ? t.Health : string.Empty,
                    sources[i].Source, sources[i].State, CommandOutput.Time(sources[i].LastCheckedAt), sources[i].LastFailure);
            }
        }

        output.Line();
        output.Line("Targets:");
        output.Render(targets);

        output.Line();
        output.Line("Recent events:");
        var events = CommandOutput.NewTable("SEQ", "AT", "KIND", "ACTOR", "MESSAGE");
        foreach (var ev in e.Events ?? [])
        {
            CommandOutput.AddRow(events, ev.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), CommandOutput.Time(ev.At), ev.Kind, ev.Actor, ev.Message);
        }

        output.Render(events);
    }

    private static string PlanLine(long generation, PlanSummary? plan) =>
        plan is null
            ? CommandOutput.Generation(generation)
            : $"{CommandOutput.Generation(generation)} [{CommandOutput.List(plan.Records)}] {plan.Origin} {CommandOutput.Time(plan.CreatedAt)}: {plan.Reason}";
}
