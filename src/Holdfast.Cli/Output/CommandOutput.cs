using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Holdfast.Cli.Output;

/// <summary>Writes a command's result to stdout as tables or JSON; errors go to stderr through the command runner.</summary>
internal sealed class CommandOutput(CliConsole console, OutputFormat format)
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private IAnsiConsole? _ansi;

    public OutputFormat Format { get; } = format;

    public bool IsJson => Format == OutputFormat.Json;

    /// <summary>Writes a JSON document, indented.</summary>
    public void Json(JsonElement document) => console.Out.WriteLine(JsonSerializer.Serialize(document, s_indented));

    /// <summary>Writes one JSON document on one line (for streams: one event per line).</summary>
    public void JsonLine(JsonElement document) => console.Out.WriteLine(JsonSerializer.Serialize(document, s_compact));

    /// <summary>Writes any Spectre renderable (tables, grids, rules).</summary>
    public void Render(IRenderable renderable) => (_ansi ??= console.CreateAnsiConsole()).Write(renderable);

    /// <summary>Writes a plain line (no markup is interpreted).</summary>
    public void Line(string text = "") => console.Out.WriteLine(text);

    /// <summary>A table with the given column headers, escaped as plain text, no-wrap friendly.</summary>
    public static Table NewTable(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        return table;
    }

    /// <summary>Adds a row of plain-text cells (escaped so addresses and reasons with brackets print as they are).</summary>
    public static void AddRow(Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? "-")).ToArray());

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string List(IEnumerable<string>? items) =>
        items is null ? "-" : string.Join(' ', items) is { Length: > 0 } joined ? joined : "-";

    /// <summary>A plan's state in one word: live now, applied once, rejected, or never applied (yet).</summary>
    public static string PlanState(Holdfast.Server.Api.PlanView plan) =>
        plan.Live ? "live" : plan.Rejected is not null ? "rejected" : plan.Applied ? "applied" : "pending";

    public static string Generation(long generation) =>
        generation > 0 ? "g" + generation.ToString(CultureInfo.InvariantCulture) : "-";
}
