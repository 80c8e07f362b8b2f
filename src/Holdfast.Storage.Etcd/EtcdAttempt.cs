using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Storage.Etcd;

/// <summary>
/// One attempt at one write operation: reads at one etcd revision (a consistent snapshot, the first read linearizable),
/// this attempt's own writes overlaid on them (so that the second item of a batch sees the first), and the txn that
/// commits it all if nothing it read has changed. Not thread-safe: one operation owns it.
/// </summary>
internal sealed class EtcdAttempt
{
    private const int OpOverhead = 16;
    private readonly EtcdControlStore _store;
    private readonly Dictionary<string, Slot> _read = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<KeyValue>> _ranges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]?> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequestOp> _ops = new(StringComparer.Ordinal);
    private readonly List<RequestOp> _rangeDeletes = [];
    private readonly List<Compare> _compares = [];
    private readonly HashSet<string> _compared = new(StringComparer.Ordinal);
    private readonly List<StoreChange> _feed = [];
    private long _bytes;
    private long _feedBytes;
    private long _takenRevision;
    private long _auditAppended;
    private long _compacted;

    private EtcdAttempt(EtcdControlStore store, long etcdRevision, HeadDocument head, long headModRevision, DateTimeOffset now, string? storedOutcome)
    {
        _store = store;
        EtcdRevision = etcdRevision;
        Head = head;
        HeadModRevision = headModRevision;
        Now = now;
        StoredOutcome = storedOutcome;
        _compacted = head.Compacted;
    }

    /// <summary>The etcd revision every read of this attempt is made at.</summary>
    public long EtcdRevision { get; }

    /// <summary>The head as of <see cref="EtcdRevision"/>.</summary>
    public HeadDocument Head { get; }

    public long HeadModRevision { get; }

    /// <summary>The store clock's time, once per attempt, for every timestamp the operation writes.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The outcome an earlier attempt of this operation committed, if one did (read back from its marker).</summary>
    public string? StoredOutcome { get; }

    public EtcdKeys Keys => _store.Keys;

    public bool HasWrites => _ops.Count > 0 || _rangeDeletes.Count > 0;

    /// <summary>Whether this attempt's txn has grown past the room etcd's limits leave (operations per txn, request bytes).</summary>
    public bool IsOverLimits => _ops.Count + _rangeDeletes.Count + EtcdControlStore.ReservedOps > _store.Options.MaxOperationsPerTransaction
        || _bytes + _feedBytes + EtcdControlStore.ReservedBytes > _store.Options.MaxRequestBytes;

    /// <summary>
    /// Starts an attempt: one linearizable txn reads the head, the operation's marker, and the keys and prefixes given
    /// (more txns at the same revision when they exceed one txn's operations).
    /// </summary>
    public static async Task<EtcdAttempt> BeginAsync(EtcdControlStore store, string operationKey, IReadOnlyCollection<string> keys, IReadOnlyCollection<string> prefixes, CancellationToken cancellationToken)
    {
        var requests = new List<RangeRequest> { Get(store.Keys.Head), Get(operationKey) };
        requests.AddRange(keys.Distinct(StringComparer.Ordinal).Select(Get));
        requests.AddRange(prefixes.Distinct(StringComparer.Ordinal).Select(p => new RangeRequest { Key = ByteString.CopyFromUtf8(p), RangeEnd = EtcdKeys.RangeEnd(p) }));
        var responses = await store.ReadTxnAsync(requests, atRevision: 0, cancellationToken);
        var (revision, ranges) = responses;
        var headKv = ranges[0].Kvs.FirstOrDefault();
        var head = headKv is null ? HeadDocument.Empty : StoreJson.Deserialize<HeadDocument>(headKv.Value.ToStringUtf8());
        var marker = ranges[1].Kvs.FirstOrDefault();
        var attempt = new EtcdAttempt(store, revision, head, headKv?.ModRevision ?? 0, store.Time.GetUtcNow(), marker?.Value.ToStringUtf8());
        for (var i = 2; i < requests.Count; i++)
        {
            attempt.Remember(requests[i], ranges[i]);
        }

        return attempt;
    }

    /// <summary>Reads keys and prefixes not read yet, at this attempt's revision, in as few txns as etcd allows.</summary>
    public async Task PrefetchAsync(IEnumerable<string> keys, IEnumerable<string> prefixes, CancellationToken cancellationToken)
    {
        var requests = keys.Distinct(StringComparer.Ordinal).Where(k => !_read.ContainsKey(k)).Select(Get)
            .Concat(prefixes.Distinct(StringComparer.Ordinal).Where(p => !_ranges.ContainsKey(p)).Select(p => new RangeRequest { Key = ByteString.CopyFromUtf8(p), RangeEnd = EtcdKeys.RangeEnd(p) }))
            .ToList();
        if (requests.Count == 0)
        {
            return;
        }

        var (_, ranges) = await _store.ReadTxnAsync(requests, EtcdRevision, cancellationToken);
        for (var i = 0; i < requests.Count; i++)
        {
            Remember(requests[i], ranges[i]);
        }
    }

    // ---- reads (with this attempt's writes overlaid) ---------------------------------------------------

    public async Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        var bytes = await GetBytesAsync(key, cancellationToken);
        return bytes is null ? null : StoreJson.Deserialize<T>(Encoding.UTF8.GetString(bytes));
    }

    public async Task<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken)
    {
        if (_written.TryGetValue(key, out var written))
        {
            return written;
        }

        if (!_read.TryGetValue(key, out var slot))
        {
            await PrefetchAsync([key], [], cancellationToken);
            slot = _read[key];
        }

        return slot.Value;
    }

    /// <summary>Every key under <paramref name="prefix"/> with its value, in key order.</summary>
    public async Task<IReadOnlyList<(string Key, byte[] Value)>> RangeAsync(string prefix, CancellationToken cancellationToken)
    {
        if (!_ranges.ContainsKey(prefix))
        {
            await PrefetchAsync([], [prefix], cancellationToken);
        }

        var merged = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var kv in _ranges[prefix])
        {
            merged[kv.Key] = kv.Value;
        }

        foreach (var (key, value) in _written)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return [.. merged.Select(m => (m.Key, m.Value))];
    }

    public async Task<IReadOnlyList<T>> RangeAsync<T>(string prefix, CancellationToken cancellationToken) =>
        [.. (await RangeAsync(prefix, cancellationToken)).Select(kv => StoreJson.Deserialize<T>(Encoding.UTF8.GetString(kv.Value)))];

    // ---- writes ------------------------------------------------------------------------------------

    public void Put<T>(string key, T value) => PutBytes(key, Encoding.UTF8.GetBytes(StoreJson.Serialize(value)));

    public void PutBytes(string key, byte[] value)
    {
        _written[key] = value;
        Account(key, new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFrom(value) } });
    }

    public void Delete(string key)
    {
        _written[key] = null;
        Account(key, new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(key) } });
    }

    /// <summary>Deletes every key under <paramref name="prefix"/> in one operation; the prefix must have been read (so that later reads see it empty).</summary>
    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        foreach (var (key, _) in await RangeAsync(prefix, cancellationToken))
        {
            _written[key] = null;
            if (_ops.Remove(key, out var op))
            {
                _bytes -= op.CalculateSize() + OpOverhead;
            }
        }

        _rangeDeletes.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix) } });
        _bytes += (2 * prefix.Length) + OpOverhead;
    }

    /// <summary>The txn commits only if <paramref name="key"/> is as this attempt read it (the fence: an endpoint's applied state).</summary>
    public void RequireUnchanged(string key)
    {
        if (!_compared.Add(key))
        {
            return;
        }

        var modRevision = _read.TryGetValue(key, out var slot) ? slot.ModRevision : RangeModRevision(key);
        _compares.Add(new Compare { Key = ByteString.CopyFromUtf8(key), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = modRevision });
    }

    /// <summary>The txn commits only if <paramref name="key"/> does not exist yet (a plan is written once, never replaced).</summary>
    public void RequireAbsent(string key)
    {
        if (_compared.Add(key))
        {
            _compares.Add(new Compare { Key = ByteString.CopyFromUtf8(key), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        }
    }

    /// <summary>The store revision of this operation: the next one, taken on first use (one revision per txn).</summary>
    public long TakeRevision()
    {
        if (_takenRevision == 0)
        {
            _takenRevision = Head.Revision + 1;
        }

        return _takenRevision;
    }

    /// <summary>Appends an audit entry in this txn (and its index entry when it names an endpoint or zone); returns it as stored.</summary>
    public AuditEntry Audit(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = entry with { Sequence = Head.Audit + (++_auditAppended) };
        Put(Keys.Audit(stored.Sequence), stored);
        if (stored.Endpoint is { } key)
        {
            Put(Keys.AuditBy(key) + EtcdKeys.Number(stored.Sequence), stored);
        }

        return stored;
    }

    public AuditEntry Audit(string actor, string action, string? endpoint, string detail) =>
        Audit(new AuditEntry(0, Now, actor, action, endpoint, detail));

    public void Feed(StoreChange change)
    {
        _feed.Add(change);
        _feedBytes += Encoding.UTF8.GetByteCount(StoreJson.Serialize(change));
    }

    /// <summary>Moves a zone's serving revision to this operation's revision (its serial follows).</summary>
    public async Task TouchAsync(string apex, CancellationToken cancellationToken)
    {
        var serving = await GetAsync<ServingDocument>(Keys.Serving(apex), cancellationToken) ?? new ServingDocument(0, null, 0);
        Put(Keys.Serving(apex), serving with { Revision = TakeRevision() });
    }

    /// <summary>Drops the change feed's revisions up to <paramref name="throughRevision"/> in this txn.</summary>
    public void CompactFeed(long throughRevision)
    {
        if (throughRevision <= _compacted)
        {
            return;
        }

        _rangeDeletes.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(Keys.Feed(_compacted + 1)), RangeEnd = ByteString.CopyFromUtf8(Keys.Feed(throughRevision + 1)) } });
        _compacted = throughRevision;
        _bytes += 64;
    }

    /// <summary>
    /// The txn: if the head is as read (no other write of any node came between) and every key this attempt requires is
    /// as read, put its writes, the new head, the feed of its revision and the operation's outcome (the marker, deleting
    /// markers of operations already acknowledged); otherwise read the marker, which says whether an earlier attempt of
    /// the same operation (or the client library's own retry of this one) already committed.
    /// </summary>
    public TxnRequest BuildTxn(string operationKey, string outcome, IReadOnlyList<string> acknowledgedMarkers, long changeRetention)
    {
        var revision = _takenRevision == 0 ? Head.Revision : _takenRevision;
        if (revision - _compacted > changeRetention)
        {
            CompactFeed(revision - changeRetention);
        }

        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = ByteString.CopyFromUtf8(Keys.Head), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = HeadModRevision });
        txn.Compare.AddRange(_compares);
        txn.Success.AddRange(_rangeDeletes);
        txn.Success.AddRange(_ops.Values);
        var head = new HeadDocument(revision, Head.Audit + _auditAppended, _compacted);
        txn.Success.Add(PutOp(Keys.Head, StoreJson.Serialize(head)));
        if (_feed.Count > 0)
        {
            txn.Success.Add(PutOp(Keys.Feed(revision), StoreJson.Serialize<StoreChange[]>([.. _feed])));
        }

        txn.Success.Add(PutOp(operationKey, outcome));
        foreach (var marker in acknowledgedMarkers)
        {
            txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(marker) } });
        }

        txn.Failure.Add(new RequestOp { RequestRange = Get(operationKey) });
        return txn;
    }

    private static RequestOp PutOp(string key, string value) =>
        new() { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) } };

    private static RangeRequest Get(string key) => new() { Key = ByteString.CopyFromUtf8(key) };

    private void Account(string key, RequestOp op)
    {
        if (_ops.Remove(key, out var previous))
        {
            _bytes -= previous.CalculateSize() + OpOverhead;
        }

        _ops[key] = op;
        _bytes += op.CalculateSize() + OpOverhead;
    }

    private void Remember(RangeRequest request, RangeResponse response)
    {
        var key = request.Key.ToStringUtf8();
        if (request.RangeEnd.IsEmpty)
        {
            var kv = response.Kvs.FirstOrDefault();
            _read[key] = new Slot(kv?.Value.ToByteArray(), kv?.ModRevision ?? 0);
        }
        else
        {
            _ranges[key] = [.. response.Kvs.Select(kv => new KeyValue(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.ModRevision))];
        }
    }

    private long RangeModRevision(string key)
    {
        foreach (var (prefix, list) in _ranges)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return list.FirstOrDefault(kv => kv.Key == key)?.ModRevision ?? 0;
            }
        }

        throw new InvalidOperationException($"{key} was not read by this attempt");
    }

    private sealed record Slot(byte[]? Value, long ModRevision);

    private sealed record KeyValue(string Key, byte[] Value, long ModRevision);
}
