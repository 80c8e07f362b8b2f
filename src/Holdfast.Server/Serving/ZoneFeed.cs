using Holdfast.ControlPlane.Serving;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Query;
using Holdfast.Dns.Zones;

namespace Holdfast.Server.Serving;

/// <summary>
/// Keeps the DNS server's data in step with the control store: rebuilds the zone set on every change of
/// the applied feed (and at least every <c>refresh</c>, for zone and endpoint edits that are not applies),
/// and swaps it into the <see cref="QueryEngine"/> atomically. A failed rebuild keeps the old data serving.
/// </summary>
public sealed class ZoneFeed
{
    private readonly IControlStore _store;
    private readonly QueryEngine _engine;
    private readonly TimeSpan _refresh;

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

    public async Task<ZoneSet> RebuildAsync(CancellationToken cancellationToken = default)
    {
        var revision = await _store.GetRevisionAsync(cancellationToken);
        var zones = await _store.ListZonesAsync(cancellationToken);
        var endpoints = await _store.ListEndpointsAsync(cancellationToken);
        var applied = await _store.ListAppliedAsync(cancellationToken);
        var set = AppliedZoneBuilder.Build(zones, endpoints, applied, revision, LastGood);
        _engine.Update(set);
        Revision = revision;
        return set;
    }

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
