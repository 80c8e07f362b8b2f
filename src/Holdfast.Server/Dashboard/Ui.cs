using System.Globalization;

namespace Holdfast.Server.Dashboard;

/// <summary>How the pages show states: a colour class and a text with a symbol, so that colour is never the only signal.</summary>
public static class Ui
{
    public static (string Css, string Text) Health(string state) => state switch
    {
        "up" => ("ok", "\u25B2 up"),
        "down" => ("bad", "\u25BC down"),
        "unexpected" => ("warn", "! unexpected"),
        _ => ("none", "? unknown"),
    };

    public static (string Css, string Text) Verdict(string verdict) => verdict switch
    {
        "passed" => ("none", "\u2713 passed"),
        "adjusted" => ("info", "~ adjusted"),
        "held" => ("hold", "\u2016 held"),
        "refused" => ("bad", "\u2715 refused"),
        "overridden" => ("warn", "! overridden"),
        _ => ("none", verdict),
    };

    /// <summary>Colour of a verdict in the chart (matches <see cref="Verdict"/>'s classes).</summary>
    public static string VerdictColour(string verdict) => verdict switch
    {
        "passed" => "#8c959f",
        "adjusted" => "#0969da",
        "held" => "#8250df",
        "refused" => "#cf222e",
        _ => "#9a6700",
    };

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t)
        {
            return "never";
        }

        var age = now - t;
        return age.TotalSeconds < 90 ? $"{Math.Max(0, age.TotalSeconds):0}s ago"
            : age.TotalMinutes < 90 ? $"{age.TotalMinutes:0}m ago"
            : $"{age.TotalHours:0}h ago";
    }

    /// <summary>An endpoint page's address: the name escaped as one path segment.</summary>
    public static string EndpointHref(string name) => "/ui/endpoints/" + Uri.EscapeDataString(name);

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
