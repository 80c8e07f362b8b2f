using Etcdserverpb;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Storage.Etcd;

/// <summary>Freezes, self-preservation releases, audit and the change feed.</summary>
public sealed partial class EtcdControlStore
{
    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async token =>
        {
            var (_, revision) = await ReadHeadAsync(token);
            var all = await RangeAllAsync(Keys.FreezePrefix, EtcdKeys.RangeEnd(Keys.FreezePrefix), revision, token);
            FreezeSwitch? global = null;
            var endpoints = new Dictionary<string, FreezeSwitch>(StringComparer.Ordinal);
            foreach (var kv in all)
            {
                var key = kv.Key.ToStringUtf8();
                if (key == Keys.GlobalFreeze)
                {
                    global = Decode<FreezeSwitch>(kv);
                }
                else if (key.StartsWith(Keys.EndpointFreezePrefix, StringComparison.Ordinal))
                {
                    endpoints[key[Keys.EndpointFreezePrefix.Length..]] = Decode<FreezeSwitch>(kv)!;
                }
            }

            return new FreezeState(global, endpoints);
        }, cancellationToken);

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default)
    {
        var key = endpoint is null ? Keys.GlobalFreeze : Keys.EndpointFreeze(endpoint);
        return WriteAsync((attempt, _) =>
        {
            attempt.Put(key, new FreezeSwitch(reason, actor, attempt.Now));
            attempt.Audit(actor, "freeze.set", endpoint, reason);
            attempt.Feed(new FreezeChange(attempt.TakeRevision(), endpoint, Frozen: true));
            return Task.FromResult(true);
        }, [], [], cancellationToken);
    }

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default)
    {
        var key = endpoint is null ? Keys.GlobalFreeze : Keys.EndpointFreeze(endpoint);
        return WriteAsync(async (attempt, token) =>
        {
            if (await attempt.GetBytesAsync(key, token) is null)
            {
                return false;
            }

            attempt.Delete(key);
            attempt.Audit(actor, "freeze.cleared", endpoint, reason);
            attempt.Feed(new FreezeChange(attempt.TakeRevision(), endpoint, Frozen: false));
            return true;
        }, [key], [], cancellationToken);
    }

    public Task ReleaseSelfPreservationAsync(string zone, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(zone);
        return WriteAsync((attempt, _) =>
        {
            attempt.Put(Keys.Release(zone), attempt.Now);
            attempt.Audit(actor, "self-preservation.released", zone, reason);
            attempt.Feed(new SelfPreservationReleasedChange(attempt.TakeRevision(), zone, attempt.Now));
            return Task.FromResult(true);
        }, [], [], cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetSelfPreservationReleasesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyDictionary<string, DateTimeOffset>>(async token =>
        {
            var all = await RangeAllAsync(Keys.ReleasePrefix, EtcdKeys.RangeEnd(Keys.ReleasePrefix), 0, token);
            return all.ToDictionary(kv => kv.Key.ToStringUtf8()[Keys.ReleasePrefix.Length..], kv => StoreJson.Deserialize<DateTimeOffset>(kv.Value.ToStringUtf8()), StringComparer.Ordinal);
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return BatchAsync(entries, _ => [], _ => [], (attempt, entry, _) => Task.FromResult(attempt.Audit(entry with { Sequence = 0 })), [], cancellationToken);
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AuditEntry>>(async token =>
        {
            if (max <= 0)
            {
                return [];
            }

            var request = new RangeRequest { Key = Utf8(Keys.Audit(Math.Max(0, afterSequence) + 1)), RangeEnd = EtcdKeys.RangeEnd(Keys.AuditPrefix), Limit = max };
            var response = await CallAsync(t => _client.GetAsync(request, cancellationToken: t), token);
            return [.. response.Kvs.Select(kv => Decode<AuditEntry>(kv)!)];
        }, cancellationToken);

    public Task<long> GetLastAuditSequenceAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async token => (await ReadHeadAsync(token)).Head.Audit, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditForAsync(string endpoint, int max, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AuditEntry>>(async token =>
        {
            if (max <= 0)
            {
                return [];
            }

            var prefix = Keys.AuditBy(endpoint);
            var request = new RangeRequest
            {
                Key = Utf8(prefix),
                RangeEnd = EtcdKeys.RangeEnd(prefix),
                Limit = max,
                SortOrder = RangeRequest.Types.SortOrder.Descend,
                SortTarget = RangeRequest.Types.SortTarget.Key,
            };
            var response = await CallAsync(t => _client.GetAsync(request, cancellationToken: t), token);
            return [.. response.Kvs.Select(kv => Decode<AuditEntry>(kv)!)];
        }, cancellationToken);

    public Task<ChangePage> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default) =>
        ReadAsync(async token =>
        {
            var (head, revision) = await ReadHeadAsync(token);
            if (afterRevision < head.Compacted)
            {
                return new ChangePage([], head.Revision, Compacted: true);
            }

            // One key per revision, so a page never splits one; at least one revision per page.
            var request = new RangeRequest { Key = Utf8(Keys.Feed(Math.Max(0, afterRevision) + 1)), RangeEnd = EtcdKeys.RangeEnd(Keys.FeedPrefix), Limit = Math.Max(1, max), Revision = revision };
            var response = await CallAsync(t => _client.GetAsync(request, cancellationToken: t), token);
            var changes = new List<StoreChange>();
            var consumed = 0;
            foreach (var kv in response.Kvs)
            {
                if (changes.Count >= max && consumed > 0)
                {
                    break;
                }

                changes.AddRange(StoreJson.Deserialize<StoreChange[]>(kv.Value.ToStringUtf8()));
                consumed++;
            }

            var all = consumed == response.Kvs.Count && !response.More;
            var through = all ? head.Revision : EtcdKeys.NumberAtEnd(response.Kvs[consumed - 1].Key.ToStringUtf8());
            return new ChangePage(changes, Math.Max(afterRevision, through));
        }, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async token => (await ReadHeadAsync(token)).Head.Revision, cancellationToken);

    /// <summary>Drops the change feed's revisions up to <paramref name="throughRevision"/> (as the retention does); readers behind it get a compacted page.</summary>
    public Task CompactChangesAsync(long throughRevision, CancellationToken cancellationToken = default) =>
        WriteAsync((attempt, _) =>
        {
            attempt.CompactFeed(Math.Min(throughRevision, attempt.Head.Revision));
            return Task.FromResult(true);
        }, [], [], cancellationToken);
}
