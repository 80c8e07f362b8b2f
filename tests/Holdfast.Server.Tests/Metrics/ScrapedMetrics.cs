using System.Globalization;
using System.Text;

namespace Holdfast.Server.Tests.Metrics;

/// <summary>
/// One scrape in the Prometheus text exposition format (version 0.0.4), parsed into samples, so that tests assert a
/// value by metric name and exact label set rather than by the exporter's layout: label order, empty braces on an
/// unlabelled series and the order of <c># HELP</c> and <c># TYPE</c> are the exporter's to choose, and all are valid
/// in the format. A line that is not valid in the format fails the parse, naming the line.
/// </summary>
internal sealed class ScrapedMetrics
{
    private readonly List<Sample> _samples = [];
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _help = new(StringComparer.Ordinal);

    private ScrapedMetrics()
    {
    }

    /// <summary>One sample line: its name, its labels and its value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Metric family name → its <c># TYPE</c> (counter, gauge, histogram, …).</summary>
    public IReadOnlyDictionary<string, string> Types => _types;

    /// <summary>Metric family name → its <c># HELP</c> text, unescaped.</summary>
    public IReadOnlyDictionary<string, string> Help => _help;

    public IReadOnlyList<Sample> Samples => _samples;

    /// <summary>Every sample named <paramref name="name"/>.</summary>
    public IEnumerable<Sample> Named(string name) => _samples.Where(s => s.Name == name);

    /// <summary>The value of the sample with exactly these labels (no more, no fewer), or null when there is none.</summary>
    public double? Value(string name, params (string Label, string Value)[] labels) =>
        Named(name).SingleOrDefault(s => s.Labels.Count == labels.Length && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value))?.Value;

    public static ScrapedMetrics Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scraped = new ScrapedMetrics();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                scraped.Read(line);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"line {number} is not Prometheus text ({ex.Message}): {line}", ex);
            }
        }

        return scraped;
    }

    private void Read(string line)
    {
        if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
        {
            var rest = line[7..];
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                throw new FormatException("a HELP or TYPE line names a metric and then its text");
            }

            var (name, value) = (rest[..space], rest[(space + 1)..]);
            if (line[2] == 'H')
            {
                _help[name] = UnescapeHelp(value);
            }
            else if (value is "counter" or "gauge" or "histogram" or "summary" or "untyped")
            {
                _types[name] = value;
            }
            else
            {
                throw new FormatException($"unknown type '{value}'");
            }

            return;
        }

        if (line[0] == '#')
        {
            return;
        }

        var at = 0;
        while (at < line.Length && (char.IsAsciiLetterOrDigit(line[at]) || line[at] is '_' or ':'))
        {
            at++;
        }

        if (at == 0 || char.IsAsciiDigit(line[0]))
        {
            throw new FormatException("a sample starts with a metric name");
        }

        var sampleName = line[..at];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (at < line.Length && line[at] == '{')
        {
            at = ReadLabels(line, at + 1, labels);
        }

        if (at >= line.Length || line[at] != ' ')
        {
            throw new FormatException("the value follows the name and labels after one space");
        }

        var fields = line[(at + 1)..].Split(' ');
        if (fields.Length > 2 || !TryParseValue(fields[0], out var sampleValue))
        {
            throw new FormatException($"'{line[(at + 1)..]}' is not a value (and an optional timestamp)");
        }

        _samples.Add(new Sample(sampleName, labels, sampleValue));
    }

    /// <summary>Reads <c>name="value"</c> pairs up to the closing brace (a trailing comma is allowed); returns the index after it.</summary>
    private static int ReadLabels(string line, int at, Dictionary<string, string> labels)
    {
        while (true)
        {
            if (at < line.Length && line[at] == '}')
            {
                return at + 1;
            }

            var equals = line.IndexOf('=', at);
            if (equals <= at || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                throw new FormatException("a label is name=\"value\"");
            }

            var name = line[at..equals];
            var value = new StringBuilder();
            at = equals + 2;
            while (at < line.Length && line[at] != '"')
            {
                value.Append(line[at] == '\\' && at + 1 < line.Length ? Unescaped(line[++at]) : line[at]);
                at++;
            }

            if (at >= line.Length)
            {
                throw new FormatException($"label {name}'s value is not closed");
            }

            if (!labels.TryAdd(name, value.ToString()))
            {
                throw new FormatException($"label {name} appears twice");
            }

            at++;
            if (at < line.Length && line[at] == ',')
            {
                at++;
            }
            else if (at >= line.Length || line[at] != '}')
            {
                throw new FormatException("labels are separated by commas and end with '}'");
            }
        }
    }

    private static char Unescaped(char escaped) => escaped switch
    {
        'n' => '\n',
        '\\' => '\\',
        '"' => '"',
        _ => throw new FormatException($"unknown escape \\{escaped}"),
    };

    /// <summary>HELP text escapes only the backslash and the line feed; any other backslash stands for itself.</summary>
    private static string UnescapeHelp(string text)
    {
        var value = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            value.Append(text[i] == '\\' && i + 1 < text.Length && text[i + 1] is 'n' or '\\' ? Unescaped(text[++i]) : text[i]);
        }

        return value.ToString();
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
