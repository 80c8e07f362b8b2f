using System.Globalization;
using System.Net;
using System.Text;

namespace Holdfast.Simulation.Reporting;

/// <summary>Small inline SVG charts (no scripts, no external resources): lines over time, and events as rows of ticks.</summary>
internal static class SvgChart
{
    private const int Width = 880;
    private const int Height = 220;
    private const int Left = 60;
    private const int Right = 160;
    private const int Top = 24;
    private const int Bottom = 30;

    private static readonly string[] s_colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

    /// <summary>One line per series, x in seconds; <paramref name="marks"/> are red vertical lines (violations).</summary>
    public static string Lines(string title, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> series, double xMax, IReadOnlyList<double>? marks = null)
    {
        var yMax = Math.Max(1, series.SelectMany(s => s.Points).Select(p => p.Y).DefaultIfEmpty(1).Max()) * 1.1;
        var svg = Begin(title, yLabel, xMax, yMax);
        for (var i = 0; i < series.Count; i++)
        {
            var (name, points) = series[i];
            var color = s_colors[i % s_colors.Length];
            if (points.Count > 0)
            {
                var path = new StringBuilder();
                foreach (var (x, y) in points)
                {
                    path.Append(Inv($"{(path.Length == 0 ? "M" : " L")}{X(x, xMax):0.#},{Y(y, yMax):0.#}"));
                }

                svg.Append(Inv($"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\"/>"));
            }

            svg.Append(Inv($"<rect x=\"{Width - Right + 10}\" y=\"{Top + (i * 16)}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{Width - Right + 24}\" y=\"{Top + 9 + (i * 16)}\" font-size=\"11\">{Enc(name)}</text>"));
        }

        Marks(svg, marks, xMax);
        return End(svg);
    }

    /// <summary>One row per name; a tick at each event time.</summary>
    public static string Rows(string title, IReadOnlyList<string> rows, IReadOnlyList<(string Row, double X)> events, double xMax, IReadOnlyList<double>? marks = null)
    {
        var svg = Begin(title, string.Empty, xMax, 0);
        var rowHeight = (Height - Top - Bottom) / (double)Math.Max(1, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var y = Top + (rowHeight * (i + 0.5));
            svg.Append(Inv($"<text x=\"{Width - Right + 10}\" y=\"{y + 4:0.#}\" font-size=\"11\">{Enc(rows[i])}</text><line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>"));
            var color = s_colors[i % s_colors.Length];
            foreach (var e in events.Where(e => e.Row == rows[i]))
            {
                svg.Append(Inv($"<line x1=\"{X(e.X, xMax):0.#}\" x2=\"{X(e.X, xMax):0.#}\" y1=\"{y - (rowHeight * 0.35):0.#}\" y2=\"{y + (rowHeight * 0.35):0.#}\" stroke=\"{color}\" stroke-width=\"1.5\"/>"));
            }
        }

        Marks(svg, marks, xMax);
        return End(svg);
    }

    private static StringBuilder Begin(string title, string yLabel, double xMax, double yMax)
    {
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">"));
        svg.Append(Inv($"<text x=\"{Left}\" y=\"14\" font-size=\"13\" font-weight=\"bold\">{Enc(title)}</text>"));
        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>"));
        for (var k = 0; k <= 5; k++)
        {
            var xv = xMax * k / 5;
            svg.Append(Inv($"<text x=\"{X(xv, xMax):0.#}\" y=\"{Height - 12}\" font-size=\"10\" text-anchor=\"middle\">{xv:0}s</text>"));
            if (yMax > 0)
            {
                var yv = yMax * k / 5;
                svg.Append(Inv($"<text x=\"{Left - 4}\" y=\"{Y(yv, yMax) + 3:0.#}\" font-size=\"10\" text-anchor=\"end\">{yv:0.#}</text>"));
            }
        }

        if (yLabel.Length > 0)
        {
            svg.Append(Inv($"<text x=\"12\" y=\"{Top + ((Height - Top - Bottom) / 2)}\" font-size=\"10\" transform=\"rotate(-90 12 {Top + ((Height - Top - Bottom) / 2)})\" text-anchor=\"middle\">{Enc(yLabel)}</text>"));
        }

        return svg;
    }

    private static void Marks(StringBuilder svg, IReadOnlyList<double>? marks, double xMax)
    {
        foreach (var m in marks ?? [])
        {
            svg.Append(Inv($"<line x1=\"{X(m, xMax):0.#}\" x2=\"{X(m, xMax):0.#}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#d62728\" stroke-width=\"1\" stroke-dasharray=\"3,2\"/>"));
        }
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static double X(double x, double xMax) => Left + ((Width - Left - Right) * Math.Clamp(x / Math.Max(xMax, 1e-9), 0, 1));

    private static double Y(double y, double yMax) => Height - Bottom - ((Height - Top - Bottom) * Math.Clamp(y / Math.Max(yMax, 1e-9), 0, 1));

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
