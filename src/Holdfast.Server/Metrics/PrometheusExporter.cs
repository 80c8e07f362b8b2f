using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Holdfast.Server.Metrics;

/// <summary>
/// Exports one <see cref="Meter"/> in the Prometheus text exposition format (version 0.0.4) with a
/// <see cref="MeterListener"/>: counters are summed per tag set, histograms bucketed, observable instruments
/// read at scrape time. Names follow the Prometheus conventions: dots become underscores, a unit of seconds
/// adds <c>_seconds</c>, counters end in <c>_total</c>. Thread-safe; measurements without tags (the DNS
/// latency on the query path) do not allocate.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Bucket upper bounds for histograms in seconds: 50 µs to 10 s.</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();
    private readonly Lock _scrape = new();

    public PrometheusExporter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                _instruments[instrument] = new InstrumentSeries(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The content type of <see cref="Scrape"/>'s text.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Reads the observable instruments and renders every series.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            foreach (var series in _instruments.Values.Where(s => s.IsObservable))
            {
                series.Clear();
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var series in _instruments.Values.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal))
            {
                series.Render(text);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private sealed class InstrumentSeries(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Series> _byTags = new(StringComparer.Ordinal);
        private readonly bool _histogram = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);
        private readonly bool _counter = instrument.GetType().Name.Contains("Counter", StringComparison.Ordinal) && !instrument.GetType().Name.Contains("UpDown", StringComparison.Ordinal);

        public Instrument Instrument { get; } = instrument;

        public bool IsObservable => Instrument.IsObservable;

        public void Clear() => _byTags.Clear();

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = tags.IsEmpty ? "" : Labels(tags);
            if (!_byTags.TryGetValue(key, out var series))
            {
                series = _byTags.GetOrAdd(key, k => new Series(k, _histogram ? SecondsBuckets.Count : 0));
            }

            if (_histogram)
            {
                series.Observe(value);
            }
            else
            {
                // Counters add up; an observable instrument reports each tag set once per scrape (after Clear).
                series.Add(value);
            }
        }

        public void Render(StringBuilder text)
        {
            var name = PrometheusName(Instrument, _counter);
            var type = _histogram ? "histogram" : _counter ? "counter" : "gauge";
            text.Append("# HELP ").Append(name).Append(' ').Append(Instrument.Description?.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var series in _byTags.Values.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                if (_histogram)
                {
                    series.RenderHistogram(text, name);
                }
                else
                {
                    text.Append(name).Append(Braces(series.Labels)).Append(' ').Append(Number(series.Value)).Append('\n');
                }
            }
        }

        private static string PrometheusName(Instrument instrument, bool counter)
        {
            var name = instrument.Name.Replace('.', '_').Replace('-', '_');
            if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
            {
                name += "_seconds";
            }

            return counter ? name + "_total" : name;
        }

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var sorted = tags.ToArray();
            Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            return string.Join(',', sorted.Select(t => $"{t.Key.Replace('.', '_')}=\"{Escape(Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? "")}\""));
        }

        // Exposition format: label values escape backslash, double quote and line feed.
        private static string Escape(string value) =>
            value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Series(string labels, int buckets)
    {
        private readonly long[] _buckets = new long[buckets];
        private readonly Lock _lock = new();
        private double _value;
        private long _count;

        public string Labels { get; } = labels;

        public double Value
        {
            get
            {
                lock (_lock)
                {
                    return _value;
                }
            }
        }

        public void Add(double value)
        {
            lock (_lock)
            {
                _value += value;
            }
        }

        public void Observe(double value)
        {
            var bounds = SecondsBuckets;
            for (var i = 0; i < bounds.Count; i++)
            {
                if (value <= bounds[i])
                {
                    Interlocked.Increment(ref _buckets[i]);
                    break;
                }
            }

            Interlocked.Increment(ref _count);
            lock (_lock)
            {
                _value += value;
            }
        }

        public void RenderHistogram(StringBuilder text, string name)
        {
            var separator = Labels.Length == 0 ? "" : ",";
            long cumulative = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                cumulative += Interlocked.Read(ref _buckets[i]);
                text.Append(name).Append("_bucket{").Append(Labels).Append(separator).Append("le=\"").Append(Number(SecondsBuckets[i])).Append("\"} ").Append(cumulative).Append('\n');
            }

            var count = Interlocked.Read(ref _count);
            text.Append(name).Append("_bucket{").Append(Labels).Append(separator).Append("le=\"+Inf\"} ").Append(count).Append('\n');
            text.Append(name).Append("_sum").Append(Braces(Labels)).Append(' ').Append(Number(Value)).Append('\n');
            text.Append(name).Append("_count").Append(Braces(Labels)).Append(' ').Append(count).Append('\n');
        }
    }
}
