using Holdfast.ControlPlane.Serving;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Query;
using Holdfast.Dns.Zones;

namespace Holdfast.Server.Serving;

/// <summary>
/// Keeps the DNS server's data in step with the control store: rebuilds the zone set on every change of
/// the applied feed (and at least every <c>refresh</c>, for zone and endpoint edits that are not applies),
/// and swaps it into the <see cref="QueryEngine"/> atomically, with the zone files' static records
/// (<see cref="SetStatic"/>). A failed rebuild keeps the old data serving. Rebuilds run one at a time, so a
/// set built from older data never replaces a newer one (the IXFR journal would see the serial go back).
/// </summary>
public sealed class ZoneFeed : IDisposable
{
    private readonly IControlStore _store;
    private readonly QueryEngine _engine;
    private readonly TimeSpan _refresh;
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private IReadOnlyDictionary<string, StaticZoneRecords> _statics = new Dictionary<string, StaticZoneRecords>(StringComparer.Ordinal);

    public ZoneFeed(IControlStore store, QueryEngine engine, EndpointTable lastGood, TimeSpan refresh)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(lastGood);
        _store = store;
        _engine = engine;
        LastGood = lastGood;
        _refresh = refresh;
    }

    public EndpointTable LastGood { get; }

    /// <summary>The revision the served data was built from.</summary>
    public long Revision { get; private set; } = -1;

    /// <summary>Raised when a rebuild failed (the previous data keeps serving).</summary>
    public event Action<Exception>? RebuildFailed;

    /// <summary>The static records served now, by zone apex.</summary>
    public IReadOnlyDictionary<string, StaticZoneRecords> Statics => Volatile.Read(ref _statics);

    /// <summary>Replaces the static records of every zone (by apex); served from the next rebuild on.</summary>
    public void SetStatic(IReadOnlyDictionary<string, StaticZoneRecords> statics)
    {
        ArgumentNullException.ThrowIfNull(statics);
        Volatile.Write(ref _statics, statics);
    }

    public async Task<ZoneSet> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            var statics = Statics;
            var revision = await _store.GetRevisionAsync(cancellationToken);
            var zones = await _store.ListZonesAsync(cancellationToken);
            var endpoints = await _store.ListEndpointsAsync(cancellationToken);
            var applied = await _store.ListAppliedAsync(cancellationToken);
            var set = AppliedZoneBuilder.Build(zones, endpoints, applied, revision, LastGood, statics);
            _engine.Update(set);
            Revision = revision;
            return set;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    public void Dispose() => _rebuild.Dispose();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RebuildAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                RebuildFailed?.Invoke(ex);
            }

            await _store.WaitForChangeAsync(Math.Max(Revision, 0), _refresh, cancellationToken);
        }
    }
}
