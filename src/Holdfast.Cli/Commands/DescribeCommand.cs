using System.CommandLine;
using System.Globalization;
using Holdfast.Cli.Output;
using Holdfast.Server.Api;
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

    private static void Render(CommandOutput output, EndpointDetailView detail)
    {
        var e = detail.Endpoint;
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow(new Text(key), new Text(value ?? "-"));
        Row("name", e.Name);
        Row("zone", e.Zone);
        Row("ttl", Number(e.Ttl));
        Row("max answers", e.MaxAnswers == 0 ? "all" : Number(e.MaxAnswers));
        Row("policy", $"capacity floor {e.Policy.CapacityFloor:0.##}, velocity limit {e.Policy.VelocityLimit:0.##} per {e.Policy.VelocityWindow}, fail-open {(e.Policy.FailOpen ? "on" : "off")}");
        Row("frozen", e.Frozen ? "yes: plans are written but not applied" : "no");
        Row("pinned", detail.Pinned ? "yes: by a rollback; the planner leaves it alone until `holdfast resume`" : "no");
        Row("live", PlanLine(e.LiveGeneration, detail.LivePlan));
        Row("latest", e.LatestGeneration == e.LiveGeneration ? "same as live" : PlanLine(e.LatestGeneration, detail.LatestPlan) + " (not applied yet)");
        Row("answer", CommandOutput.List(e.Answer));
        output.Render(grid);

        var decisions = (detail.LatestPlan ?? detail.LivePlan)?.Decisions ?? [];
        if (decisions.Count > 0)
        {
            var table = CommandOutput.NewTable("GUARDRAIL", "VERDICT", "REASON");
            foreach (var d in decisions)
            {
                CommandOutput.AddRow(table, d.Guardrail, d.Alarm ? d.Verdict + " (alarm)" : d.Verdict, d.Reason);
            }

            output.Line();
            output.Line($"Guardrail decisions on {CommandOutput.Generation((detail.LatestPlan ?? detail.LivePlan)!.Generation)}:");
            output.Render(table);
        }

        var targets = CommandOutput.NewTable("TARGET", "ADDRESS", "AZ", "WEIGHT", "CAPACITY", "ADMIN", "HEALTH", "IN ANSWER", "SOURCE", "STATE", "CHECKED", "LAST FAILURE");
        foreach (var t in detail.Targets)
        {
            IReadOnlyList<SourceView> sources = t.Sources.Count > 0 ? t.Sources : [new SourceView("-", "-", false, null, null, 0, t.HealthReason, null)];
            for (var i = 0; i < sources.Count; i++)
            {
                var first = i == 0;
                var source = sources[i];
                CommandOutput.AddRow(targets, first ? t.Id : string.Empty, first ? t.Address : string.Empty, first ? t.Az : string.Empty,
                    first ? Number(t.Weight) : string.Empty, first ? Number(t.Capacity) : string.Empty, first ? t.AdminState : string.Empty,
                    first ? t.Health : string.Empty, first ? (t.InAnswer ? "yes" : "no") : string.Empty,
                    source.Source, source.Fresh || source.Source == "-" ? source.State : source.State + " (stale)", CommandOutput.Time(source.LastCheckedAt),
                    source.LastFailure is null ? "-" : $"{source.LastFailure} at {CommandOutput.Time(source.LastFailureAt)}");
            }
        }

        output.Line();
        output.Line("Targets:");
        output.Render(targets);

        output.Line();
        output.Line("Recent events:");
        var events = CommandOutput.NewTable("SEQ", "AT", "KIND", "ACTOR", "MESSAGE");
        foreach (var ev in detail.Events)
        {
            CommandOutput.AddRow(events, ev.Seq.ToString(CultureInfo.InvariantCulture), CommandOutput.Time(ev.At), ev.Kind, ev.Actor, ev.Message);
        }

        output.Render(events);
    }

    private static string PlanLine(long generation, PlanView? plan) =>
        plan is null
            ? CommandOutput.Generation(generation)
            : $"{CommandOutput.Generation(generation)} [{CommandOutput.List(plan.Records)}] {plan.Origin} {CommandOutput.Time(plan.CreatedAt)}: {plan.Reason}";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
