using System.CommandLine;
using Holdfast.Cli.Api.Contracts;
using Holdfast.Cli.Output;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast events [--after SEQ] [--limit N] [--watch]</c>: audit, guardrail and alarm events. With
/// <c>--watch</c> it follows the server-sent event stream until Ctrl-C (exit 0) or the server goes away (exit 3);
/// JSON output is then one event per line.
/// </summary>
internal static class EventsCommand
{
    public static Command Create(CliServices services)
    {
        var after = new Option<long?>("--after") { Description = "Only events with a sequence number above SEQ", HelpName = "SEQ" };
        var limit = new Option<int?>("--limit") { Description = "At most N events", HelpName = "N" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep following new events (server-sent events) until Ctrl-C" };
        var command = new Command("events", "Show audit, guardrail and alarm events; --watch follows them live") { after, limit, watch };
        command.Validators.Add(result =>
        {
            if (result.GetValue(limit) is <= 0)
            {
                result.AddError("--limit must be at least 1");
            }

            if (result.GetValue(after) is < 0)
            {
                result.AddError("--after must not be negative");
            }
        });
        command.SetClientAction(services, async run =>
        {
            if (!run.Get(watch))
            {
                var response = await run.Client.GetEventsAsync(run.Get(after), run.Get(limit), run.Cancellation);
                if (run.Output.IsJson)
                {
                    run.Output.Json(response.Json);
                    return ExitCodes.Ok;
                }

                var table = CommandOutput.NewTable("SEQ", "AT", "KIND", "ENDPOINT", "ACTOR", "MESSAGE");
                foreach (var e in response.Value)
                {
                    CommandOutput.AddRow(table, e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), CommandOutput.Time(e.At), e.Kind, e.Endpoint, e.Actor, e.Message);
                }

                run.Output.Render(table);
                return ExitCodes.Ok;
            }

            var minimum = run.Get(after) ?? 0;
            await foreach (var item in run.Client.StreamEventsAsync(run.Cancellation))
            {
                if (item.Value.Seq <= minimum)
                {
                    continue;
                }

                if (run.Output.IsJson)
                {
                    run.Output.JsonLine(item.Json);
                }
                else
                {
                    run.Output.Line(Line(item.Value));
                }

                await run.Console.Out.FlushAsync();
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Line(EventRecord e) =>
        $"{e.Seq} {CommandOutput.Time(e.At)} {e.Kind}{(e.Endpoint is null ? string.Empty : " " + e.Endpoint)} by {e.Actor ?? "-"}: {e.Message}";
}
