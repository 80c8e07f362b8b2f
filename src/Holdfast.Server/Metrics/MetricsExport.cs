using System.Diagnostics.Metrics;
using Holdfast.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Holdfast.Server.Metrics;

/// <summary>
/// Exports one host's <see cref="HoldfastMetrics"/> through OpenTelemetry: the Prometheus scrape endpoint serves
/// <c>/metrics</c> in the text format (names as in docs/metrics.md: dots to underscores, a unit of seconds adds
/// <c>_seconds</c>, counters end in <c>_total</c>), and, when <c>metrics.otlp</c> is set, a periodic reader pushes the
/// same instruments to that collector over OTLP.
/// </summary>
public static class MetricsExport
{
    /// <summary>Bucket upper bounds for histograms in seconds: 50 µs to 10 s.</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>
    /// Adds a meter provider that exports exactly <paramref name="meter"/> (this instance) at the scrape endpoint and,
    /// when <paramref name="otlp"/> is given, pushes it there every <see cref="OtlpOptions.Interval"/>.
    /// </summary>
    public static IServiceCollection AddHoldfastMetricsExport(this IServiceCollection services, Meter meter, OtlpOptions? otlp = null)
    {
        ArgumentNullException.ThrowIfNull(meter);
        services.AddOpenTelemetry().WithMetrics(provider =>
        {
            provider
                .AddMeter(meter.Name)
                .AddView(instrument => StreamFor(instrument, meter))
                .AddPrometheusExporter(prometheus =>
                {
                    // The documented names and labels only: no otel_scope_* labels, no target_info series.
                    prometheus.ScopeInfoEnabled = false;
                    prometheus.TargetInfoEnabled = false;
                    // Every scrape reads the counters now, as the tests and the alerts expect.
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                });
            if (otlp is not null)
            {
                provider.AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = otlp.Endpoint;
                    exporter.Protocol = otlp.Protocol == OtlpTransport.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    // Counters as totals since start, as /metrics shows them: a push lost in transit loses nothing.
                    reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.Interval.TotalMilliseconds;
                });
            }
        });
        return services;
    }

    /// <summary>
    /// Several hosts (tests, the simulator) share a process and so the meter name: each provider keeps its own
    /// host's meter instance and drops the others'. Histograms in seconds get the fixed bucket bounds.
    /// </summary>
    private static MetricStreamConfiguration? StreamFor(Instrument instrument, Meter meter)
    {
        if (!ReferenceEquals(instrument.Meter, meter))
        {
            return MetricStreamConfiguration.Drop;
        }

        return instrument.Unit == "s" && instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal)
            ? new ExplicitBucketHistogramConfiguration { Boundaries = [.. SecondsBuckets] }
            : null;
    }
}
