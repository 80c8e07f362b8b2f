using System.Globalization;
using System.Net;
using System.Text;
using Holdfast.ControlPlane.Guardrails;

namespace Holdfast.Simulation.Reporting;

/// <summary>
/// Writes a self-contained HTML report: the summary, a verdict banner, and inline SVG charts of the kept
/// schedule — answers and applied generation per endpoint, enactor activity, guardrail events — or, for
/// retry-storm, offered load and goodput per client policy side by side. No scripts, no external files.
/// </summary>
public static class HtmlReportWriter
{
    public static string Write(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var example = report.Example;
        var html = new StringBuilder();
        var protocol = report.Protocol.ToString().ToLowerInvariant();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Enc($"holdfast sim {report.Scenario} ({protocol})"))
            .Append("</title><style>body{font-family:sans-serif;margin:24px;max-width:1000px}pre{background:#f6f6f6;padding:8px;font-size:12px;overflow-x:auto}")
            .Append(".bad{background:#fde0e0;border:2px solid #d62728;padding:10px;font-size:18px}.good{background:#e0f5e0;border:2px solid #2ca02c;padding:10px;font-size:18px}.side{display:flex;gap:8px}.side>svg{flex:1 1 0;min-width:0;height:auto}</style></head><body>");
        html.Append(Inv($"<h1>{Enc(report.Scenario)} — {protocol} protocol</h1>"));
        if (report.TotalViolations > 0)
        {
            var empty = report.EmptyAnswerSchedules > 0 ? $"EMPTY ANSWER in {report.EmptyAnswerSchedules} of {report.Schedules.Count} schedules; " : string.Empty;
            var stuck = report.StuckSchedules > 0 ? $"stuck (no convergence) in {report.StuckSchedules}; " : string.Empty;
            html.Append(Inv($"<p class=\"bad\">{Enc(empty + stuck)}{report.TotalViolations} invariant violations.</p>"));
        }
        else
        {
            html.Append(Inv($"<p class=\"good\">No invariant violated in {report.Schedules.Count} schedules ({report.SimulatedTime.TotalHours:0.00} simulated hours).</p>"));
        }

        var summary = new StringWriter(CultureInfo.InvariantCulture);
        report.WriteSummary(summary);
        html.Append("<h2>Summary</h2><pre>").Append(Enc(summary.ToString())).Append("</pre>");
        html.Append(Inv($"<h2>Schedule of seed {example.Seed}</h2>"));
        var xMax = example.SimulatedTime.TotalSeconds;
        var marks = example.Violations.Select(v => v.At.TotalSeconds).Distinct().Take(50).ToList();

        if (example.RetryStorm is { } storm)
        {
            html.Append(Inv($"<p>DNS outage from {storm.OutageStart.TotalSeconds:0}s to {storm.OutageEnd.TotalSeconds:0}s (red dashes).</p><div class=\"side\">"));
            foreach (var policy in storm.Policies)
            {
                var horizon = policy.Series.Count == 0 ? 1 : policy.Series[^1].At.TotalSeconds;
                html.Append(SvgChart.Lines(
                    Inv($"{policy.Policy}: peak {policy.PeakAmplification:0.0}x, max queued {policy.MaxQueued}, recovery {(policy.GoodputRecovery is { } r ? r.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + "s" : "never")}"),
                    "requests/s",
                    [("offered", policy.Series.Select(s => (s.At.TotalSeconds, s.Offered)).ToList()), ("goodput", policy.Series.Select(s => (s.At.TotalSeconds, s.Goodput)).ToList())],
                    horizon,
                    [storm.OutageStart.TotalSeconds, storm.OutageEnd.TotalSeconds]));
            }

            html.Append("</div>");
        }
        else
        {
            var endpoints = example.Samples.Select(s => s.Endpoint).Distinct().ToList();
            html.Append(SvgChart.Lines("Records answered per endpoint (what a client resolves)", "records", [.. endpoints.Select(e => (e, (IReadOnlyList<(double, double)>)example.Samples.Where(s => s.Endpoint == e).Select(s => (s.At.TotalSeconds, (double)s.Answers)).ToList()))], xMax, marks));
            html.Append(SvgChart.Lines("Applied generation per endpoint", "generation", [.. endpoints.Select(e => (e, (IReadOnlyList<(double, double)>)example.Samples.Where(s => s.Endpoint == e).Select(s => (s.At.TotalSeconds, (double)s.Generation)).ToList()))], xMax, marks));
            var enactors = example.Applies.Select(a => a.Enactor).Distinct().Order(StringComparer.Ordinal).ToList();
            html.Append(SvgChart.Rows("Enactor activity (successful applies)", enactors, [.. example.Applies.Select(a => (a.Enactor, a.At.TotalSeconds))], xMax, marks));
            html.Append(SvgChart.Rows("Guardrail events", [.. GuardrailNames.All], [.. example.GuardrailEvents.Select(g => (g.Guardrail, g.At.TotalSeconds))], xMax, marks));
        }

        if (example.Violations.Count > 0)
        {
            html.Append("<h2>Violations</h2><pre>");
            foreach (var v in example.Violations.Take(40))
            {
                html.Append(Enc(Inv($"{v.At.TotalSeconds,10:0.000}s {v.Invariant} {v.Endpoint}: {v.Detail}"))).Append('\n');
            }

            html.Append("</pre>");
        }

        var first = report.FirstViolation;
        var from = first is null ? 0 : Math.Max(0, first.LogIndex - 30);
        html.Append(first is null ? "<h2>Event log (first 200 lines)</h2><pre>" : "<h2>Event log around the first violation</h2><pre>");
        foreach (var line in example.EventLog.Skip(from).Take(200))
        {
            html.Append(Enc(line)).Append('\n');
        }

        html.Append("</pre>");
        html.Append("<p>Reproduce: <code>").Append(Enc(report.ReproCommand(example.Seed))).Append("</code></p></body></html>");
        return html.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
