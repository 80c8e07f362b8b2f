using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Dns.Names;
using Holdfast.Dns.Query;
using Holdfast.Dns.Zones;

using DnsRrset = Holdfast.Dns.Zones.Rrset;

namespace Holdfast.ControlPlane.Serving;

/// <summary>
/// Keeps the DNS server's data in step with the control store: loads everything once from one consistent read
/// (<see cref="IControlStore.ReadServingStateAsync"/>), then follows the change feed and applies each change — an apply,
/// an endpoint put or deleted, a zone edited, a zone file's digest — to the zones it touches only, publishing them into
/// the <see cref="QueryEngine"/> atomically. Each zone's serial is derived from the store's serving revision of the zone
/// (<see cref="StoredZone.Serial"/>), so two feeds that processed the same revisions serve the same data under the same
/// serial. A compacted feed means a fresh load. A failed step keeps the old data serving. The host and the simulator run
/// this same class.
/// </summary>
/// <remarks>
/// The last good answer rule (<c>lastGoodAnswerRule</c>, on everywhere but the simulator's legacy world): an apply with
/// zero addresses never empties an endpoint that had some; the previous addresses keep serving and
/// <see cref="LastGoodAnswerKept"/> is raised, so an operator hears of it. Deleting an endpoint removes it (a re-created
/// name starts clean). Zone files: the host hands the records it read (<see cref="SetStaticAsync"/>) and records their digest in
/// the store; a zone serves the local records once the store holds their digest.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The SemaphoreSlim's wait handle is never created (AvailableWaitHandle is never read): there is nothing to dispose.")]
public sealed class ZoneFeed
{
    private readonly IControlStore _store;
    private readonly QueryEngine _engine;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly bool _lastGoodAnswerRule;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ZoneModel> _zones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _zoneOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZoneSnapshot> _published = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, StaticZoneRecords> _statics = new Dictionary<string, StaticZoneRecords>(StringComparer.Ordinal);
    private readonly AsyncSignal _moved = new();
    private long _revision = -1;

    public ZoneFeed(IControlStore store, QueryEngine engine, TimeProvider time, Random random, bool lastGoodAnswerRule = true)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        _store = store;
        _engine = engine;
        _time = time;
        _random = random;
        _lastGoodAnswerRule = lastGoodAnswerRule;
    }

    /// <summary>
    /// Zones kept in step but not handed to the DNS server (a push-only zone: external servers serve it). Their serials
    /// still move, so every view of the zone agrees.
    /// </summary>
    public IReadOnlySet<string> Unserved { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The store revision the served data reflects; -1 before the first load.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>
    /// Completes when the served data reflects at least <paramref name="revision"/> (a caller that wrote to the store and
    /// wants its change served before it answers), or after <paramref name="maxWait"/>. Returns whether it got there.
    /// </summary>
    public async Task<bool> WaitForRevisionAsync(long revision, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var until = _time.GetUtcNow() + maxWait;
        while (true)
        {
            var version = _moved.Version;
            if (Revision >= revision)
            {
                return true;
            }

            var left = until - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await _moved.WaitAsync(version, left, _time, cancellationToken);
        }
    }

    /// <summary>Raised with the endpoint name when an empty apply was refused (the previous addresses keep serving).</summary>
    public event Action<string>? LastGoodAnswerKept;

    /// <summary>Raised when loading or applying changes failed (the previous data keeps serving; the feed retries).</summary>
    public event Action<Exception>? Failed;

    /// <summary>How many times zone data was published into the engine.</summary>
    public long Publishes { get; private set; }

    /// <summary>How many empty applies were refused since start.</summary>
    public long LastGoodAnswersKept { get; private set; }

    /// <summary>The static records the host read from each zone's files (by apex); a zone serves them once the store holds their digest.</summary>
    public IReadOnlyDictionary<string, StaticZoneRecords> Statics => Volatile.Read(ref _statics);

    /// <summary>Replaces the local zone-file records (by apex) and republishes the zones whose served static records change.</summary>
    public async Task SetStaticAsync(IReadOnlyDictionary<string, StaticZoneRecords> statics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statics);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Volatile.Write(ref _statics, statics);
            if (_revision >= 0)
            {
                foreach (var zone in _zones.Values)
                {
                    zone.StaticsChanged = true;
                }

                Publish(_zones.Keys.ToList());
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads everything served from the store in one consistent read and publishes it.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var state = await _store.ReadServingStateAsync(cancellationToken);
        await LoadSnapshotAsync(
            new ServingSnapshot(state.Revision, state.Zones, [.. state.Endpoints.Select(e => new ServingSnapshotEndpoint(e.Zone, new ServedZoneEndpoint(e.Name, e.Ttl, e.MaxAnswers, Addresses(e.Records))))]),
            cancellationToken);
    }

    /// <summary>What is served now, with the revision it reflects (for a node's local copy; O(endpoints), so taken seldom).</summary>
    public async Task<ServingSnapshot> ExportAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var zones = _zones.Where(z => z.Value.Spec is not null)
                .Select(z => new StoredZone(z.Value.Spec!, z.Value.ServingRevision, z.Value.StaticDigest))
                .ToList();
            var endpoints = _zones.SelectMany(z => z.Value.Endpoints.Values.Select(e =>
                new ServingSnapshotEndpoint(z.Key, new ServedZoneEndpoint(e.Name, e.Ttl, e.MaxAnswers, e.Addresses)))).ToList();
            return new ServingSnapshot(Revision, zones, endpoints);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Serves <paramref name="snapshot"/> (a node's local copy, the store unreachable) and takes its revision as the one
    /// served: <see cref="RunAsync"/> then follows the change feed from there, or loads afresh if the store has compacted
    /// past it.
    /// </summary>
    public async Task LoadSnapshotAsync(ServingSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _zones.Clear();
            _zoneOf.Clear();
            foreach (var zone in snapshot.Zones)
            {
                _zones[zone.Spec.Apex] = new ZoneModel { Spec = zone.Spec, ServingRevision = zone.ServingRevision, StaticDigest = zone.StaticDigest };
            }

            foreach (var (apex, served) in snapshot.Endpoints)
            {
                ZoneOrNew(apex).Endpoints[WireName.FromText(served.Name)] = new EndpointModel(served.Name, served.Ttl, served.MaxAnswers, served.Addresses);
                _zoneOf[served.Name] = apex;
            }

            _published.Clear();
            Publish(_zones.Keys.ToList());
            Interlocked.Exchange(ref _revision, snapshot.Revision);
            _moved.Set();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads (unless loaded) and follows the change feed until cancelled; failures are reported and retried.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (Revision < 0 && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await LoadAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Failed?.Invoke(ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200 + (_random.NextDouble() * 300)), _time, cancellationToken);
            }
        }

        await ChangeFollower.RunAsync(_store, Revision, ApplyAsync, ex => Failed?.Invoke(ex), TimeSpan.FromSeconds(30), _time, _random, cancellationToken);
    }

    /// <summary>
    /// Loads (unless loaded), then reads and applies every change the store has now, without waiting: for a caller that
    /// pumps the feed itself (the simulator resolves through it after every event).
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        if (Revision < 0)
        {
            await LoadAsync(cancellationToken);
        }

        while (true)
        {
            var page = await _store.ReadChangesAsync(Revision, 1024, cancellationToken);
            if (!page.Compacted && page.Changes.Count == 0)
            {
                Interlocked.Exchange(ref _revision, Math.Max(Revision, page.Revision));
                _moved.Set();
                return;
            }

            await ApplyAsync(page);
        }
    }

    /// <summary>Applies one page of the change feed (a compacted page: a fresh load).</summary>
    public async Task ApplyAsync(ChangePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Compacted)
        {
            await LoadAsync();
            return;
        }

        await _gate.WaitAsync();
        try
        {
            var touched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in page.Changes.Where(c => c.Revision > _revision))
            {
                Apply(change, touched);
            }

            Publish(touched);
            Interlocked.Exchange(ref _revision, Math.Max(_revision, page.Revision));
            _moved.Set();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Apply(StoreChange change, HashSet<string> touched)
    {
        switch (change)
        {
            case AppliedChange applied when _zoneOf.TryGetValue(applied.Endpoint, out var apex):
                {
                    var zone = _zones[apex];
                    var owner = WireName.FromText(applied.Endpoint);
                    var endpoint = zone.Endpoints[owner];
                    var addresses = Addresses(applied.Records);
                    if (addresses.Count == 0 && endpoint.Addresses.Count > 0 && _lastGoodAnswerRule)
                    {
                        LastGoodAnswersKept++;
                        LastGoodAnswerKept?.Invoke(applied.Endpoint);
                    }
                    else
                    {
                        zone.Endpoints[owner] = endpoint with { Addresses = addresses };
                        zone.ChangedEndpoints.Add(owner);
                    }

                    Serve(zone, change.Revision, touched, apex);
                    break;
                }

            case EndpointPutChange put:
                {
                    var spec = put.Spec;
                    var owner = WireName.FromText(spec.Name);
                    var addresses = (IReadOnlyList<EndpointAddress>)[];
                    if (_zoneOf.TryGetValue(spec.Name, out var was) && _zones[was].Endpoints.Remove(owner, out var old))
                    {
                        addresses = old.Addresses;
                        _zones[was].ChangedEndpoints.Add(owner);
                        Serve(_zones[was], change.Revision, touched, was);
                    }

                    var zone = ZoneOrNew(spec.Zone);
                    zone.Endpoints[owner] = new EndpointModel(spec.Name, spec.Policy.Ttl, spec.Policy.MaxAnswers, addresses);
                    zone.ChangedEndpoints.Add(owner);
                    _zoneOf[spec.Name] = spec.Zone;
                    Serve(zone, change.Revision, touched, spec.Zone);
                    break;
                }

            case EndpointDeletedChange deleted:
                if (_zoneOf.Remove(deleted.Endpoint, out var from))
                {
                    var owner = WireName.FromText(deleted.Endpoint);
                    _zones[from].Endpoints.Remove(owner);
                    _zones[from].ChangedEndpoints.Add(owner);
                    Serve(_zones[from], change.Revision, touched, from);
                }

                break;
            case ZonePutChange zonePut:
                {
                    var zone = ZoneOrNew(zonePut.Zone.Apex);
                    zone.Spec = zonePut.Zone;
                    zone.StaticsChanged = true;
                    Serve(zone, change.Revision, touched, zonePut.Zone.Apex);
                    break;
                }

            case ZoneDeletedChange zoneDeleted when _zones.TryGetValue(zoneDeleted.Apex, out var zone):
                zone.Spec = null;
                Serve(zone, change.Revision, touched, zoneDeleted.Apex);
                break;
            case StaticZoneChange staticChange:
                {
                    var zone = ZoneOrNew(staticChange.Apex);
                    zone.StaticDigest = staticChange.Digest;
                    zone.StaticsChanged = true;
                    Serve(zone, change.Revision, touched, staticChange.Apex);
                    break;
                }
        }
    }

    private static void Serve(ZoneModel zone, long revision, HashSet<string> touched, string apex)
    {
        zone.ServingRevision = Math.Max(zone.ServingRevision, revision);
        touched.Add(apex);
    }

    private ZoneModel ZoneOrNew(string apex)
    {
        if (!_zones.TryGetValue(apex, out var zone))
        {
            _zones[apex] = zone = new ZoneModel();
        }

        return zone;
    }

    /// <summary>
    /// Publishes the touched zones in one swap. A zone already served is patched: only the endpoints and static names
    /// that changed, and the SOA with the new serial (<see cref="ZoneSnapshotEditor"/>, O(k log n) for k changed names),
    /// which also gives the IXFR step. A zone not served yet (or after a fresh load) is built whole.
    /// </summary>
    private void Publish(ICollection<string> touched)
    {
        if (touched.Count == 0 && _published.Count > 0)
        {
            return;
        }

        foreach (var apex in touched)
        {
            var zone = _zones[apex];
            if (zone.Spec is null)
            {
                _published.Remove(apex);
                zone.StaticNodes = null;
            }
            else
            {
                _published[apex] = _published.TryGetValue(apex, out var served) && zone.StaticNodes is not null
                    ? Patch(zone, served)
                    : BuildWhole(zone);
            }

            zone.ChangedEndpoints.Clear();
            zone.StaticsChanged = false;
        }

        _engine.Update(new ZoneSet(Unserved.Count == 0 ? _published.Values : _published.Where(z => !Unserved.Contains(z.Key)).Select(z => z.Value)));
        Publishes++;
    }

    private ZoneSnapshot BuildWhole(ZoneModel zone)
    {
        var files = ServedStatics(zone);
        zone.StaticNodes = AppliedZoneBuilder.StaticNodes(zone.Spec!, files);
        return AppliedZoneBuilder.BuildZone(
            zone.Spec!,
            StoredZone.SerialOf(zone.ServingRevision),
            zone.Endpoints.Values.Select(e => new ServedZoneEndpoint(e.Name, e.Ttl, e.MaxAnswers, e.Addresses)),
            files);
    }

    private ZoneSnapshot Patch(ZoneModel zone, ZoneSnapshot served)
    {
        var editor = served.Edit();
        var statics = zone.StaticNodes!;
        if (zone.StaticsChanged)
        {
            // A zone edit or a zone file: O(static records), never O(endpoints).
            var next = AppliedZoneBuilder.StaticNodes(zone.Spec!, ServedStatics(zone));
            foreach (var owner in next.Keys.Concat(statics.Keys.Where(k => !next.ContainsKey(k))).ToList())
            {
                editor.SetNode(owner, AppliedZoneBuilder.Shadow(next.GetValueOrDefault(owner), zone.Endpoints.ContainsKey(owner)));
            }

            zone.StaticNodes = statics = next;
        }

        foreach (var owner in zone.ChangedEndpoints)
        {
            var endpoint = zone.Endpoints.GetValueOrDefault(owner);
            editor.SetEndpoint(owner, endpoint is null ? null : new EndpointRecords((uint)endpoint.Ttl, endpoint.MaxAnswers, endpoint.Addresses));

            // An endpoint created or deleted at a name with static records hides or uncovers its static A, AAAA and CNAME.
            if (statics.TryGetValue(owner, out var node))
            {
                editor.SetNode(owner, AppliedZoneBuilder.Shadow(node, endpoint is not null));
            }
        }

        editor.SetSoa(AppliedZoneBuilder.Soa(zone.Spec!, StoredZone.SerialOf(zone.ServingRevision)));
        return editor.Build();
    }

    private StaticZoneRecords? ServedStatics(ZoneModel zone) =>
        Statics.GetValueOrDefault(zone.Spec!.Apex) is { } local && zone.StaticDigest == local.Digest ? local : null;

    private static IReadOnlyList<EndpointAddress> Addresses(IReadOnlyList<PlanRecord> records) =>
        [.. records.Select(r => new EndpointAddress(r.Address, Math.Max(1, r.Weight)))];

    private sealed class ZoneModel
    {
        public ZoneSpec? Spec { get; set; }

        public long ServingRevision { get; set; }

        public string? StaticDigest { get; set; }

        /// <summary>The zone's endpoints by owner (lower-case wire).</summary>
        public Dictionary<byte[], EndpointModel> Endpoints { get; } = new(WireNameComparer.Instance);

        /// <summary>Endpoints put, deleted or applied since the last publish: what the next snapshot patches.</summary>
        public HashSet<byte[]> ChangedEndpoints { get; } = new(WireNameComparer.Instance);

        /// <summary>True when the spec or the zone files changed since the last publish.</summary>
        public bool StaticsChanged { get; set; }

        /// <summary>The static RRsets served last (before shadowing), or null when the zone is not served.</summary>
        public IReadOnlyDictionary<byte[], Dictionary<ushort, DnsRrset>>? StaticNodes { get; set; }
    }

    private sealed record EndpointModel(string Name, int Ttl, int MaxAnswers, IReadOnlyList<EndpointAddress> Addresses);
}
