using System.CommandLine;
using Holdfast.Server.Api;
using System.Text.Json;
using Holdfast.Cli.Api;
using Holdfast.Cli.Output;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast events [--after SEQ] [--limit N] [--watch]</c>: audit, guardrail and alarm events. With
/// <c>--watch</c> it follows the server-sent event stream until Ctrl-C (exit 0) or the server goes away (exit 3);
/// JSON output is then one event per line.
/// </summary>
internal static class EventsCommand
{
    /// <summary>Events shown without --after or --limit: the most recent ones, like <c>tail</c>.</summary>
    private const int DefaultRecent = 20;

    /// <summary>The API's largest page (<c>limit</c> may not exceed it).</summary>
    private const int PageSize = 1000;
    public static Command Create(CliServices services)
    {
        var after = new Option<long?>("--after") { Description = "Only events with a sequence number above SEQ", HelpName = "SEQ" };
        var limit = new Option<int?>("--limit") { Description = $"At most N events [default: the latest {DefaultRecent}; with --after, up to {PageSize} from SEQ on]", HelpName = "N" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep following new events (server-sent events) until Ctrl-C" };
        var command = new Command("events", "Show audit, guardrail and alarm events; --watch follows them live") { after, limit, watch };
        command.Validators.Add(result =>
        {
            if (result.GetValue(limit) is < 1 or > PageSize)
            {
                result.AddError($"--limit must be from 1 to {PageSize}");
            }

            if (result.GetValue(after) is < 0)
            {
                result.AddError("--after must not be negative");
            }
        });
        command.SetClientAction(services, async run =>
        {
            if (run.Get(watch))
            {
                using var interrupt = new InterruptScope(run.Cancellation);
                await foreach (var item in run.Client.StreamEventsAsync(run.Get(after), interrupt.Token))
                {
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
            }

            var events = run.Get(after) is { } from
                ? await run.Client.GetEventsAsync(from, run.Get(limit) ?? PageSize, run.Cancellation)
                : await LatestAsync(run, run.Get(limit) ?? DefaultRecent);
            if (run.Output.IsJson)
            {
                run.Output.Json(events.Json);
                return ExitCodes.Ok;
            }

            var table = CommandOutput.NewTable("SEQ", "AT", "KIND", "ENDPOINT", "ACTOR", "MESSAGE");
            foreach (var e in events.Value)
            {
                CommandOutput.AddRow(table, e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), CommandOutput.Time(e.At), e.Kind, e.Endpoint, e.Actor, e.Message);
            }

            run.Output.Render(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The newest <paramref name="count"/> events. The API reads forward from a sequence number, so this pages
    /// through from the start and keeps the tail; the JSON printed is the same array shape as one page.
    /// </summary>
    private static async Task<ApiResponse<List<EventView>>> LatestAsync(ClientInvocation run, int count)
    {
        var tail = new Queue<(EventView Event, JsonElement Json)>();
        long after = 0;
        while (true)
        {
            var page = await run.Client.GetEventsAsync(after, PageSize, run.Cancellation);
            var elements = page.Json.EnumerateArray().ToList();
            for (var i = 0; i < page.Value.Count; i++)
            {
                tail.Enqueue((page.Value[i], elements[i]));
                if (tail.Count > count)
                {
                    tail.Dequeue();
                }
            }

            if (page.Value.Count < PageSize)
            {
                break;
            }

            after = page.Value[^1].Seq;
        }

        return new ApiResponse<List<EventView>>([.. tail.Select(t => t.Event)], JsonArray.Of(tail.Select(t => t.Json)));
    }

    internal static string Line(EventView e) =>
        $"{e.Seq} {CommandOutput.Time(e.At)} {e.Kind}{(e.Endpoint is null ? string.Empty : " " + e.Endpoint)} by {e.Actor}: {e.Message}";
}
