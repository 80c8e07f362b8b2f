using System.Globalization;
using System.Text;

namespace Holdfast.LoopBench;

/// <summary>Every figure of one size, and its rendering as a Markdown section.</summary>
internal sealed class SizeResult(int endpoints)
{
    public int Endpoints { get; } = endpoints;

    public TimeSpan ColdStart { get; set; }

    public TimeSpan AllUp { get; set; }

    public double IdleCores { get; set; }

    public long SteadyRss { get; set; }

    public long PeakRss { get; set; }

    public long DataBytes { get; set; }

    public TimeSpan Restart { get; set; }

    public Dictionary<string, CliTiming> Cli { get; } = [];

    public Dictionary<string, CliTiming> Api { get; } = [];

    public List<Change> Down { get; } = [];

    public List<Change> Up { get; } = [];

    public TimeSpan StormReport { get; set; }

    public TimeSpan StormDrain { get; set; }

    public TimeSpan StormRecover { get; set; }

    public int StormEmptyEndpoints { get; set; }

    public int StormRemoved { get; set; }

    public string StormAlarms { get; set; } = "";

    public int StormWatchQueries { get; set; }

    public int StormWatchEmpty { get; set; }

    public string Markdown()
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"\n### {Endpoints:N0} endpoints × 3 targets\n");
        md.AppendLine("| figure | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(c, $"| cold start, empty data directory → every endpoint answers | {ColdStart.TotalSeconds:0.0} s |");
        md.AppendLine(c, $"| restart (SIGKILL, data directory kept) → every endpoint answers its last records | {Restart.TotalSeconds:0.0} s |");
        md.AppendLine(c, $"| every target reported up (2 sources), until settled | {AllUp.TotalSeconds:0.0} s |");
        md.AppendLine(c, $"| CPU with nothing changing | {IdleCores * 100:0.00} % of one core |");
        md.AppendLine(c, $"| RSS steady / peak | {SteadyRss / 1048576.0:0} / {PeakRss / 1048576.0:0} MiB |");
        md.AppendLine(c, $"| data directory | {DataBytes / 1048576.0:0.0} MiB |");
        foreach (var (command, timing) in Cli)
        {
            md.AppendLine(c, $"| `{command}` (best / median of 3, output) | {timing.Best:0.00} / {timing.Median:0.00} s, {timing.Bytes / 1024.0:N0} KiB |");
        }

        foreach (var (request, timing) in Api)
        {
            md.AppendLine(c, $"| `{request}` (best / median of 3, body) | {timing.Best * 1000:0} / {timing.Median * 1000:0} ms, {timing.Bytes / 1024.0:N0} KiB |");
        }

        md.AppendLine(c, $"| storm: {Endpoints * 3 / 10:N0} targets (10 %) reported down | in {StormReport.TotalSeconds:0.00} s; backlog drained {StormDrain.TotalSeconds:0.0} s after the last report |");
        md.AppendLine(c, $"| storm: answers | {StormRemoved:N0} of the down targets removed, {StormEmptyEndpoints} endpoints empty; watcher saw {StormWatchEmpty} empty answers in {StormWatchQueries:N0} queries; alarms: {(StormAlarms.Length == 0 ? "none" : StormAlarms)} |");
        md.AppendLine(c, $"| storm: all back up → drained | {StormRecover.TotalSeconds:0.0} s after the last report |");
        md.AppendLine();
        md.AppendLine(c, $"Health change → answer, milliseconds beyond the thresholds (grace 0, fall/rise 1), {Down.Count} samples each:\n");
        md.AppendLine("| change | part | p50 | p90 | p99 | max |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var (label, changes) in new[] { ("down", Down), ("up", Up) })
        {
            foreach (var (part, pick) in new (string, Func<Change, double>)[] { ("total", x => x.Total), ("health → plan", x => x.HealthToPlan), ("plan → apply", x => x.PlanToApply), ("apply → answer", x => x.ApplyToAnswer) })
            {
                var values = changes.Select(pick).ToList();
                md.AppendLine(c, $"| {label} | {part} | {Stats.Percentile(values, 50):0.0} | {Stats.Percentile(values, 90):0.0} | {Stats.Percentile(values, 99):0.0} | {values.DefaultIfEmpty(double.NaN).Max():0.0} |");
            }
        }

        return md.ToString();
    }
}
