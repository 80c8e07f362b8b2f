using System.Net;
using Holdfast.Client.Resolution;
using Holdfast.Client.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Client.Tests.Resolution;

/// <summary>A resolver on a virtual clock in front of real upstream sockets, with its metrics collected.</summary>
internal sealed class ResolverHarness : IAsyncDisposable
{
    public ResolverHarness(HoldfastResolverOptions options, TimeProvider? time = null)
    {
        Options = options;
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        Metrics = new ClientMetrics();
        Resolver = new HoldfastResolver(options, Time, new SeededRandom(11), Metrics);
        Stale = new MetricCollector<long>(Metrics.StaleAnswers);
        Suspect = new MetricCollector<long>(Metrics.SuspectAnswersHeld);
        UpstreamFailures = new MetricCollector<long>(Metrics.UpstreamFailures);
        TcpFallbacks = new MetricCollector<long>(Metrics.TcpFallbacks);
        Prefetches = new MetricCollector<long>(Metrics.Prefetches);
    }

    public HoldfastResolverOptions Options { get; }

    public TimeProvider Time { get; }

    public FakeTimeProvider Clock => (FakeTimeProvider)Time;

    public ClientMetrics Metrics { get; }

    public HoldfastResolver Resolver { get; }

    public MetricCollector<long> Stale { get; }

    public MetricCollector<long> Suspect { get; }

    public MetricCollector<long> UpstreamFailures { get; }

    public MetricCollector<long> TcpFallbacks { get; }

    public MetricCollector<long> Prefetches { get; }

    public static HoldfastResolverOptions OptionsFor(string? lastKnownGoodPath, params IPEndPoint[] upstreams)
    {
        var options = new HoldfastResolverOptions { LastKnownGoodPath = lastKnownGoodPath, Families = AddressFamilies.IPv4 };
        foreach (var upstream in upstreams)
        {
            options.Upstreams.Add(upstream);
        }

        return options;
    }

    public static long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);

    public async Task<NameResolution> ResolveAsync(string name) => await Resolver.ResolveAsync(name);

    public async ValueTask DisposeAsync()
    {
        await Resolver.DisposeAsync();
        foreach (var collector in new[] { Stale, Suspect, UpstreamFailures, TcpFallbacks, Prefetches })
        {
            collector.Dispose();
        }

        Metrics.Dispose();
    }
}
