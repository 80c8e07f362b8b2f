using System.CommandLine;
using Holdfast.Cli.Output;
using Spectre.Console;

namespace Holdfast.Cli.Commands;

/// <summary><c>holdfast status</c>: readiness, listeners, counts, freezes, the cluster's nodes (on etcd), enactors, push targets and open alarms.</summary>
internal static class StatusCommand
{
    public static Command Create(CliServices services)
    {
        var command = new Command("status", "Show whether the server is ready, where it listens, freezes, enactors and alarms");
        command.SetClientAction(services, async run =>
        {
            var response = await run.Client.GetStatusAsync(run.Cancellation);
            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
                return ExitCodes.Ok;
            }

            var status = response.Value;
            var grid = new Grid().AddColumn().AddColumn();
            void Row(string key, string? value) => grid.AddRow(new Text(key), new Text(value ?? "-"));
            Row("ready", status.Ready ? "yes" : "NO: " + string.Join("; ", status.NotReady));
            Row("api", status.Api);
            Row("dns", CommandOutput.List(status.Dns));
            Row("data", status.DataDirectory);
            Row("zones", status.Zones.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Row("endpoints", status.Endpoints.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Row("frozen", status.FrozenGlobal ? "EVERYTHING (global freeze)" : CommandOutput.List(status.FrozenEndpoints) is var frozen and not "-" ? frozen : "nothing");
            if (status.Cluster is { } cluster)
            {
                Row("node", cluster.Node);
                Row("planner", cluster.Planner ?? "none elected");
                Row("revision", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"serving {cluster.ServedRevision} of {cluster.StoreRevision} (lag {cluster.Lag})"));
            }

            run.Output.Render(grid);
            if (status.Cluster is { } shared)
            {
                var nodes = CommandOutput.NewTable("NODE", "SINCE", "SERVES");
                foreach (var node in shared.Nodes)
                {
                    CommandOutput.AddRow(nodes, node.Id + (node.Id == shared.Planner ? " (planner)" : ""), CommandOutput.Time(node.Since), node.Description);
                }

                run.Output.Render(nodes);
            }

            var enactors = CommandOutput.NewTable("ENACTOR", "AZ", "LAST PASS", "LAST ERROR");
            foreach (var enactor in status.Enactors)
            {
                CommandOutput.AddRow(enactors, enactor.Id, enactor.Az, CommandOutput.Time(enactor.LastPassAt), enactor.LastError);
            }

            run.Output.Render(enactors);
            if (status.Push is { Count: > 0 } push)
            {
                var targets = CommandOutput.NewTable("PUSH TARGET", "ZONE", "SERVER", "STATE", "PUSHED", "REPAIRED", "WAITING", "LAST ERROR");
                foreach (var t in push)
                {
                    var state = t.State == "failing" ? $"failing ×{t.ConsecutiveFailures}, retry {CommandOutput.Time(t.NextRetryAt)}" : t.State;
                    CommandOutput.AddRow(targets, t.Name, t.Zone, t.Server, state, Count(t.Pushed), Count(t.DriftRepaired), Count(t.Waiting), t.LastError);
                }

                run.Output.Render(targets);
            }

            var alarms = status.Alarms;
            run.Output.Line(alarms.Count == 0 ? "alarms: none" : $"alarms ({alarms.Count}):");
            foreach (var alarm in alarms)
            {
                run.Output.Line($"  {alarm.Subject}: {alarm.Guardrail} {alarm.Verdict}: {alarm.Reason}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Count(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
