using System.Globalization;

namespace Holdfast.Server.Configuration;

/// <summary>Durations in configuration: a number and a unit, <c>500ms</c>, <c>2s</c>, <c>1.5m</c>, <c>1h</c>.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var (unit, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? ("ms", 1.0)
            : text.EndsWith('s') ? ("s", 1000.0)
            : text.EndsWith('m') ? ("m", 60_000.0)
            : text.EndsWith('h') ? ("h", 3_600_000.0)
            : ("", 0.0);
        if (unit.Length == 0 || !double.TryParse(text[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number * scale > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(number * scale);
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds < 1000 || value.TotalMilliseconds % 1000 != 0 ? $"{value.TotalMilliseconds:0.###}ms".Replace(',', '.')
        : value.TotalSeconds < 60 || value.TotalSeconds % 60 != 0 ? $"{value.TotalSeconds:0}s"
        : value.TotalMinutes < 60 || value.TotalMinutes % 60 != 0 ? $"{value.TotalMinutes:0}m"
        : $"{value.TotalHours:0}h";
}
