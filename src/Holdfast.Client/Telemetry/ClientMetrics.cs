using System.Diagnostics.Metrics;

namespace Holdfast.Client.Telemetry;

/// <summary>
/// The one <see cref="Meter"/> of Holdfast.Client (<c>Holdfast.Client</c>), shared by the resolver, the connect callback
/// and the retry budget. Tags are bounded: a reason or an outcome, never a name, an address or a client.
/// docs/client.md lists every instrument.
/// </summary>
public sealed class ClientMetrics : IDisposable
{
    public const string MeterName = "Holdfast.Client";
    private readonly Meter _meter;
    private long _hits;
    private long _misses;

    /// <param name="meterFactory">Null creates a meter of its own (outside dependency injection).</param>
    public ClientMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Lookups = _meter.CreateCounter<long>("holdfast.client.cache.lookups", "{lookup}", "Resolver lookups by result (hit, miss).");
        _meter.CreateObservableGauge("holdfast.client.cache.hit_ratio", HitRatio, "1", "Cache hits ÷ lookups since start.");
        StaleAnswers = _meter.CreateCounter<long>("holdfast.client.stale_answers", "{answer}", "Answers served from expired data (source: stale, last_known_good).");
        SuspectAnswersHeld = _meter.CreateCounter<long>("holdfast.client.suspect_answers_held", "{answer}", "NXDOMAIN/NODATA/empty answers replaced by the last good addresses.");
        UpstreamFailures = _meter.CreateCounter<long>("holdfast.client.upstream.failures", "{query}", "Upstream queries that gave no usable answer (reason).");
        TcpFallbacks = _meter.CreateCounter<long>("holdfast.client.upstream.tcp_fallbacks", "{query}", "Truncated UDP answers asked again over TCP.");
        Prefetches = _meter.CreateCounter<long>("holdfast.client.prefetches", "{refresh}", "Popular names refreshed before they expired.");
        ConnectFailures = _meter.CreateCounter<long>("holdfast.client.connect.failures", "{attempt}", "Connection attempts to a resolved address that failed (reason).");
        AddressesSkipped = _meter.CreateCounter<long>("holdfast.client.connect.addresses_skipped", "{address}", "Addresses skipped because their circuit was open.");
        Retries = _meter.CreateCounter<long>("holdfast.client.retry.attempts", "{retry}", "Retries the budget allowed.");
        RetriesDenied = _meter.CreateCounter<long>("holdfast.client.retry.budget_exhausted", "{retry}", "Retries refused because the budget was spent.");
    }

    public double HitRatio()
    {
        var hits = Interlocked.Read(ref _hits);
        var total = hits + Interlocked.Read(ref _misses);
        return total == 0 ? 0 : (double)hits / total;
    }

    internal Counter<long> Lookups { get; }

    internal Counter<long> StaleAnswers { get; }

    internal Counter<long> SuspectAnswersHeld { get; }

    internal Counter<long> UpstreamFailures { get; }

    internal Counter<long> TcpFallbacks { get; }

    internal Counter<long> Prefetches { get; }

    internal Counter<long> ConnectFailures { get; }

    internal Counter<long> AddressesSkipped { get; }

    internal Counter<long> Retries { get; }

    internal Counter<long> RetriesDenied { get; }

    internal void Hit()
    {
        Interlocked.Increment(ref _hits);
        Lookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
    }

    internal void Miss()
    {
        Interlocked.Increment(ref _misses);
        Lookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));
    }

    public void Dispose() => _meter.Dispose();
}
