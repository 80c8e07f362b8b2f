using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// The control store in memory, for tests and the simulator. One lock makes every operation (every batch) atomic and
/// linearizable; nothing survives the process. Timestamps come from the injected <see cref="TimeProvider"/>. The change
/// feed keeps the newest <see cref="ChangeRetention"/> revisions.
/// </summary>
public sealed class InMemoryControlStore : IControlStore
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly SortedDictionary<string, Entry> _endpoints = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ZoneSpec> _zones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Serving> _serving = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FreezeSwitch> _endpointFreezes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _releases = new(StringComparer.Ordinal);
    private readonly List<AuditEntry> _audit = [];
    private readonly Dictionary<string, List<int>> _auditByKey = new(StringComparer.Ordinal);
    private readonly List<StoreChange> _changes = [];
    private FreezeSwitch? _globalFreeze;
    private long _generation;
    private long _revision;
    private long _compactedThrough;
    private long _pendingRevision;
    private readonly AsyncSignal _changed = new();

    public InMemoryControlStore(TimeProvider time, long changeRetention = 100_000)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(changeRetention, 1);
        _time = time;
        ChangeRetention = changeRetention;
    }

    /// <summary>How many of the newest revisions the change feed keeps; older ones are compacted away.</summary>
    public long ChangeRetention { get; }

    public Task<Generation> AllocateGenerationsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_lock)
        {
            var first = _generation + 1;
            _generation += count;
            return Task.FromResult(new Generation(first));
        }
    }

    public Task<IReadOnlyList<PlanWriteOutcome>> WritePlansAsync(IReadOnlyList<PlanWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        lock (_lock)
        {
            var outcomes = new PlanWriteOutcome[writes.Count];
            for (var i = 0; i < writes.Count; i++)
            {
                var (plan, actor, notes) = writes[i];
                ArgumentNullException.ThrowIfNull(plan);
                if (!_endpoints.TryGetValue(plan.Endpoint, out var entry) || entry.Spec is null)
                {
                    outcomes[i] = PlanWriteOutcome.UnknownEndpoint(plan.Endpoint);
                    continue;
                }

                var latest = entry.Plans.Count > 0 ? new Generation(entry.Plans.Keys.Last()) : Generation.None;
                var applied = entry.Applied?.Generation ?? Generation.None;
                var floor = latest > applied ? latest : applied;
                if (plan.Generation <= floor)
                {
                    outcomes[i] = PlanWriteOutcome.NotNewer(floor);
                    continue;
                }

                entry.Plans[plan.Generation.Value] = new PlanEntry(plan);
                _generation = Math.Max(_generation, plan.Generation.Value);
                Audit(actor, "plan.written", plan.Endpoint, $"{plan.Generation} with {plan.Records.Length} records: {plan.Reason}");
                foreach (var note in notes ?? [])
                {
                    Audit(actor, note.Action, plan.Endpoint, note.Detail);
                }

                Feed(new PlanWrittenChange(Revision(), plan.Endpoint, plan.Generation, plan.Origin));
                outcomes[i] = PlanWriteOutcome.Success(plan.Generation);
            }

            return Task.FromResult<IReadOnlyList<PlanWriteOutcome>>(Commit(outcomes));
        }
    }

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_endpoints.TryGetValue(endpoint, out var entry) && entry.Plans.TryGetValue(generation.Value, out var plan) ? plan : null);
        }
    }

    public Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_endpoints.TryGetValue(endpoint, out var entry) || !entry.Plans.TryGetValue(generation.Value, out var plan) || plan.WasApplied || plan.IsRejected)
            {
                return Task.FromResult(false);
            }

            entry.Plans[generation.Value] = plan with { RejectedReason = reason };
            Audit(actor, "plan.rejected", endpoint, $"{generation}: {reason}");
            Feed(new PlanRejectedChange(Revision(), endpoint, generation));
            return Task.FromResult(Commit(true));
        }
    }

    public Task<IReadOnlyList<ApplyOutcome>> ConditionalApplyAsync(IReadOnlyList<ApplyRequest> requests, string enactorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        lock (_lock)
        {
            var outcomes = new ApplyOutcome[requests.Count];
            for (var i = 0; i < requests.Count; i++)
            {
                outcomes[i] = ApplyLocked(requests[i], enactorId);
            }

            return Task.FromResult<IReadOnlyList<ApplyOutcome>>(Commit(outcomes));
        }
    }

    private ApplyOutcome ApplyLocked(ApplyRequest request, string enactorId)
    {
        var (endpoint, generation) = request;
        _endpoints.TryGetValue(endpoint, out var entry);
        var current = entry?.Applied?.Generation ?? Generation.None;
        if (generation <= current)
        {
            return ApplyOutcome.Stale(current);
        }

        if (entry is null || !entry.Plans.TryGetValue(generation.Value, out var plan))
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} does not exist");
        }

        if (plan.IsRejected)
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} was rejected: {plan.RejectedReason}");
        }

        if (plan.Plan.Records.IsDefaultOrEmpty)
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} has no records");
        }

        if ((_globalFreeze ?? _endpointFreezes.GetValueOrDefault(endpoint)) is { } freeze)
        {
            return ApplyOutcome.Frozen(current, freeze.Reason);
        }

        var now = _time.GetUtcNow();
        var revision = Revision();
        var zone = entry.Spec!.Zone;
        entry.Applied = new AppliedState(endpoint, generation, plan.Plan.Records, enactorId, now, revision);
        entry.Plans[generation.Value] = plan with { FirstAppliedAt = plan.FirstAppliedAt ?? now };
        Touch(zone);
        Feed(new AppliedChange(revision, endpoint, zone, generation, plan.Plan.Records, enactorId, now));
        Audit(enactorId, "apply.applied", endpoint, $"{current} -> {generation} ({plan.Plan.Records.Length} records)");
        return ApplyOutcome.Applied(generation, revision);
    }

    public Task<IReadOnlyList<CleanupOutcome>> CleanupAsync(IReadOnlyList<CleanupRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        lock (_lock)
        {
            var outcomes = new CleanupOutcome[requests.Count];
            for (var i = 0; i < requests.Count; i++)
            {
                var (endpoint, keep, retain) = requests[i];
                ArgumentOutOfRangeException.ThrowIfNegative(keep);
                _endpoints.TryGetValue(endpoint, out var entry);
                var applied = entry?.Applied?.Generation ?? Generation.None;
                if (entry is null || applied == Generation.None)
                {
                    outcomes[i] = new CleanupOutcome(endpoint, applied, []);
                    continue;
                }

                var victims = CleanupPolicy.Select(entry.Plans.Values, applied, keep, _time.GetUtcNow() - retain);
                foreach (var g in victims)
                {
                    entry.Plans.Remove(g.Value);
                }

                if (victims.Count > 0)
                {
                    Audit("cleanup", "cleanup.deleted", endpoint, $"below applied {applied}: {string.Join(' ', victims)}");
                }

                outcomes[i] = new CleanupOutcome(endpoint, applied, victims);
            }

            return Task.FromResult<IReadOnlyList<CleanupOutcome>>(Commit(outcomes));
        }
    }

    public Task<Page<PendingEndpoint>> ListPendingAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            var items = new List<PendingEndpoint>();
            string? next = null;
            foreach (var (name, entry) in After(after))
            {
                var latest = entry.Plans.Values.LastOrDefault(p => !p.IsRejected)?.Plan.Generation ?? Generation.None;
                var applied = entry.Applied?.Generation ?? Generation.None;
                if (latest <= applied)
                {
                    continue;
                }

                if (items.Count == limit)
                {
                    next = items[^1].Endpoint;
                    break;
                }

                items.Add(new PendingEndpoint(name, latest, applied));
            }

            return Task.FromResult(new Page<PendingEndpoint>(items, next));
        }
    }

    public Task<IReadOnlyList<StoredEndpoint>> ReadEndpointsAsync(IReadOnlyList<string> names, EndpointParts parts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        lock (_lock)
        {
            IReadOnlyList<StoredEndpoint> result = [.. names.Select(n => _endpoints.TryGetValue(n, out var entry) ? View(n, entry, parts) : new StoredEndpoint(n, null, null, []))];
            return Task.FromResult(result);
        }
    }

    public Task<Page<StoredEndpoint>> ListEndpointsAsync(string? after, int limit, EndpointParts parts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            var items = new List<StoredEndpoint>();
            string? next = null;
            foreach (var (name, entry) in After(after))
            {
                if (entry.Spec is null)
                {
                    continue;
                }

                if (items.Count == limit)
                {
                    next = items[^1].Name;
                    break;
                }

                items.Add(View(name, entry, parts));
            }

            return Task.FromResult(new Page<StoredEndpoint>(items, next));
        }
    }

    public Task<int> CountEndpointsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_endpoints.Values.Count(e => e.Spec is not null));
        }
    }

    public Task<IReadOnlyList<EndpointWriteOutcome>> PutEndpointsAsync(IReadOnlyList<EndpointSpec> endpoints, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        lock (_lock)
        {
            var outcomes = new EndpointWriteOutcome[endpoints.Count];
            for (var i = 0; i < endpoints.Count; i++)
            {
                var spec = endpoints[i];
                ArgumentNullException.ThrowIfNull(spec);
                if (!_endpoints.TryGetValue(spec.Name, out var entry))
                {
                    entry = new Entry();
                    _endpoints[spec.Name] = entry;
                }

                var previous = entry.Spec;
                if (spec.Equals(previous))
                {
                    outcomes[i] = EndpointWriteOutcome.Unchanged;
                    continue;
                }

                entry.Spec = spec;
                var moved = previous is not null && previous.Zone != spec.Zone ? previous.Zone : null;
                Touch(spec.Zone);
                if (moved is not null)
                {
                    Touch(moved);
                }

                Audit(actor, "endpoint.put", spec.Name, $"{spec.Targets.Length} targets");
                Feed(new EndpointPutChange(Revision(), spec, moved, previous is null));
                outcomes[i] = previous is null ? EndpointWriteOutcome.Created : EndpointWriteOutcome.Updated;
            }

            return Task.FromResult<IReadOnlyList<EndpointWriteOutcome>>(Commit(outcomes));
        }
    }

    public Task<IReadOnlyList<bool>> DeleteEndpointsAsync(IReadOnlyList<string> names, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        lock (_lock)
        {
            var outcomes = new bool[names.Count];
            for (var i = 0; i < names.Count; i++)
            {
                var name = names[i];
                if (!_endpoints.TryGetValue(name, out var entry) || entry.Spec is null)
                {
                    continue;
                }

                _endpoints.Remove(name);
                _endpointFreezes.Remove(name);
                Touch(entry.Spec.Zone);
                Audit(actor, "endpoint.deleted", name, $"with {entry.Plans.Count} plans and generation {entry.Applied?.Generation ?? Generation.None} applied");
                Feed(new EndpointDeletedChange(Revision(), name, entry.Spec.Zone));
                outcomes[i] = true;
            }

            return Task.FromResult<IReadOnlyList<bool>>(Commit(outcomes));
        }
    }

    public Task<IReadOnlyList<PlanEntry>> ListAlarmsAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<PlanEntry> alarms = [.. _endpoints.Values
                .Select(e => e.Plans.Values.LastOrDefault(p => !p.IsRejected))
                .OfType<PlanEntry>()
                .Where(p => PlanAlarms.HasAlarm(p.Plan))
                .Take(limit)];
            return Task.FromResult(alarms);
        }
    }

    public Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        lock (_lock)
        {
            if (!zone.Equals(_zones.GetValueOrDefault(zone.Apex)))
            {
                _zones[zone.Apex] = zone;
                Touch(zone.Apex);
                Audit(actor, "zone.put", zone.Apex, zone.Apex);
                Feed(new ZonePutChange(Revision(), zone));
            }

            return Task.FromResult(Commit(true));
        }
    }

    public Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var removed = _zones.Remove(apex);
            if (removed)
            {
                Touch(apex);
                Audit(actor, "zone.deleted", apex, apex);
                Feed(new ZoneDeletedChange(Revision(), apex));
            }

            return Task.FromResult(Commit(removed));
        }
    }

    public Task<IReadOnlyList<StoredZone>> ListZonesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(ZonesLocked());
        }
    }

    public Task<StaticZoneVersion> SetStaticZoneAsync(string apex, string digest, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(apex);
        ArgumentException.ThrowIfNullOrEmpty(digest);
        lock (_lock)
        {
            var serving = _serving.GetValueOrDefault(apex);
            if (serving?.StaticDigest == digest)
            {
                return Task.FromResult(new StaticZoneVersion(apex, digest, serving.StaticChanges, Changed: false));
            }

            var changes = serving?.StaticDigest is null ? serving?.StaticChanges ?? 0 : serving.StaticChanges + 1;
            var revision = Revision();
            _serving[apex] = new Serving(revision, digest, changes);
            Audit(actor, "zone.static", apex, $"zone files changed ({changes} change(s)), digest {digest[..Math.Min(12, digest.Length)]}");
            Feed(new StaticZoneChange(revision, apex, digest, changes));
            return Task.FromResult(Commit(new StaticZoneVersion(apex, digest, changes, Changed: true)));
        }
    }

    public Task<ServingState> ReadServingStateAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var endpoints = _endpoints
                .Where(e => e.Value.Spec is not null)
                .Select(e => new ServedEndpoint(e.Key, e.Value.Spec!.Zone, e.Value.Spec.Policy.Ttl, e.Value.Spec.Policy.MaxAnswers, e.Value.Applied?.Generation ?? Generation.None, e.Value.Applied?.Records ?? []))
                .ToList();
            return Task.FromResult(new ServingState(_revision, ZonesLocked(), endpoints));
        }
    }

    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(new FreezeState(_globalFreeze, new Dictionary<string, FreezeSwitch>(_endpointFreezes, StringComparer.Ordinal)));
        }
    }

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var freeze = new FreezeSwitch(reason, actor, _time.GetUtcNow());
            if (endpoint is null)
            {
                _globalFreeze = freeze;
            }
            else
            {
                _endpointFreezes[endpoint] = freeze;
            }

            Audit(actor, "freeze.set", endpoint, reason);
            Feed(new FreezeChange(Revision(), endpoint, Frozen: true));
            return Task.FromResult(Commit(true));
        }
    }

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var had = endpoint is null ? _globalFreeze is not null : _endpointFreezes.Remove(endpoint);
            if (endpoint is null)
            {
                _globalFreeze = null;
            }

            if (had)
            {
                Audit(actor, "freeze.cleared", endpoint, reason);
                Feed(new FreezeChange(Revision(), endpoint, Frozen: false));
            }

            return Task.FromResult(Commit(had));
        }
    }

    public Task ReleaseSelfPreservationAsync(string zone, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(zone);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _releases[zone] = now;
            Audit(actor, "self-preservation.released", zone, reason);
            Feed(new SelfPreservationReleasedChange(Revision(), zone, now));
            return Task.FromResult(Commit(true));
        }
    }

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetSelfPreservationReleasesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(new Dictionary<string, DateTimeOffset>(_releases, StringComparer.Ordinal));
        }
    }

    public Task<IReadOnlyList<AuditEntry>> AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            IReadOnlyList<AuditEntry> stored = [.. entries.Select(e => AuditLocked(e with { Sequence = 0 }))];
            return Task.FromResult(stored);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var start = (int)Math.Clamp(afterSequence, 0, _audit.Count);
            IReadOnlyList<AuditEntry> list = _audit.GetRange(start, Math.Min(max, _audit.Count - start));
            return Task.FromResult(list);
        }
    }

    public Task<long> GetLastAuditSequenceAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult((long)_audit.Count);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditForAsync(string endpoint, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<AuditEntry> list = _auditByKey.TryGetValue(endpoint, out var indexes)
                ? [.. Enumerable.Range(0, Math.Min(max, indexes.Count)).Select(i => _audit[indexes[indexes.Count - 1 - i]])]
                : [];
            return Task.FromResult(list);
        }
    }

    public Task<ChangePage> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (afterRevision < _compactedThrough)
            {
                return Task.FromResult(new ChangePage([], _revision, Compacted: true));
            }

            var page = new List<StoreChange>();
            var index = FirstIndexAfter(afterRevision);
            for (; index < _changes.Count; index++)
            {
                var change = _changes[index];
                if (page.Count >= max && change.Revision != page[^1].Revision)
                {
                    break;
                }

                page.Add(change);
            }

            var through = index < _changes.Count ? page[^1].Revision : _revision;
            return Task.FromResult(new ChangePage(page, Math.Max(afterRevision, through)));
        }
    }

    /// <summary>Drops the changes of every revision up to <paramref name="throughRevision"/> (as the retention does); readers behind it get a compacted page.</summary>
    public void CompactChanges(long throughRevision)
    {
        lock (_lock)
        {
            CompactLocked(Math.Min(throughRevision, _revision));
        }
    }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_revision);
        }
    }

    public async Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        long version;
        lock (_lock)
        {
            if (_revision > afterRevision)
            {
                return;
            }

            version = _changed.Version;
        }

        await _changed.WaitAsync(version, maxWait, _time, cancellationToken);
    }

    // ---- inside the lock ---------------------------------------------------------------------------

    /// <summary>The revision of the operation in progress: the next one, taken once per operation on first use.</summary>
    private long Revision()
    {
        if (_pendingRevision == 0)
        {
            _pendingRevision = ++_revision;
        }

        return _pendingRevision;
    }

    /// <summary>Ends the operation: wakes waiters when it took a revision, applies the feed's retention.</summary>
    private T Commit<T>(T result)
    {
        if (_pendingRevision != 0)
        {
            _pendingRevision = 0;
            if (_revision - _compactedThrough > ChangeRetention)
            {
                CompactLocked(_revision - ChangeRetention);
            }

            _changed.Set();
        }

        return result;
    }

    private void CompactLocked(long throughRevision)
    {
        if (throughRevision <= _compactedThrough)
        {
            return;
        }

        _changes.RemoveRange(0, FirstIndexAfter(throughRevision));
        _compactedThrough = throughRevision;
    }

    private int FirstIndexAfter(long revision)
    {
        int lo = 0, hi = _changes.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_changes[mid].Revision <= revision)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void Feed(StoreChange change) => _changes.Add(change);

    private void Touch(string apex) =>
        _serving[apex] = (_serving.GetValueOrDefault(apex) ?? new Serving(0, null, 0)) with { Revision = Revision() };

    private IEnumerable<KeyValuePair<string, Entry>> After(string? after) =>
        after is null ? _endpoints : _endpoints.Where(e => string.CompareOrdinal(e.Key, after) > 0);

    private IReadOnlyList<StoredZone> ZonesLocked() =>
        [.. _zones.Values.Select(z => _serving.GetValueOrDefault(z.Apex) is { } s ? new StoredZone(z, s.Revision, s.StaticDigest, s.StaticChanges) : new StoredZone(z, 0))];

    private static StoredEndpoint View(string name, Entry entry, EndpointParts parts) => new(
        name,
        parts.HasFlag(EndpointParts.Spec) ? entry.Spec : null,
        parts.HasFlag(EndpointParts.Applied) ? entry.Applied : null,
        parts.SelectPlans(entry.Plans.Values));

    private void Audit(string actor, string action, string? endpoint, string detail) =>
        AuditLocked(new AuditEntry(0, _time.GetUtcNow(), actor, action, endpoint, detail));

    private AuditEntry AuditLocked(AuditEntry entry)
    {
        var stored = entry with { Sequence = _audit.Count + 1 };
        _audit.Add(stored);
        if (stored.Endpoint is { } key)
        {
            if (!_auditByKey.TryGetValue(key, out var list))
            {
                _auditByKey[key] = list = [];
            }

            list.Add(_audit.Count - 1);
        }

        return stored;
    }

    private sealed class Entry
    {
        public EndpointSpec? Spec { get; set; }

        public AppliedState? Applied { get; set; }

        public SortedDictionary<long, PlanEntry> Plans { get; } = [];
    }

    private sealed record Serving(long Revision, string? StaticDigest, long StaticChanges);
}
