using System.Globalization;
using System.Text;

namespace Holdfast.Simulation.World;

/// <summary>
/// The run's event log: one line per event, stamped with virtual time since the start. Only virtual time
/// and seeded choices appear in it, so the same seed gives the same bytes.
/// </summary>
public sealed class EventLog(Func<TimeSpan> elapsed)
{
    private readonly List<string> _lines = [];

    public int Count => _lines.Count;

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string actor, string text) =>
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"{elapsed().TotalSeconds,10:0.000} {actor,-10} {text}"));

    /// <summary>The lines from <paramref name="index"/> - <paramref name="before"/> up to <paramref name="index"/> + <paramref name="after"/>.</summary>
    public IReadOnlyList<string> Around(int index, int before, int after)
    {
        var start = Math.Max(0, index - before);
        var end = Math.Min(_lines.Count, index + after);
        return _lines.GetRange(start, Math.Max(0, end - start));
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in _lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}
