using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Storage.Sqlite;

/// <summary>Freezes, self-preservation releases, audit and the change feed.</summary>
public sealed partial class SqliteControlStore
{
    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default) =>
        Read(tx =>
        {
            var all = tx.Query("SELECT scope, reason, actor, since FROM freezes", r => (Scope: r.GetString(0), Switch: new FreezeSwitch(r.GetString(1), r.GetString(2), Time(r.GetInt64(3)))));
            var global = all.FirstOrDefault(f => f.Scope == GlobalScope).Switch;
            return new FreezeState(global, all.Where(f => f.Scope != GlobalScope).ToDictionary(f => f.Scope, f => f.Switch, StringComparer.Ordinal));
        }, cancellationToken);

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        Write(tx =>
        {
            tx.Execute("INSERT INTO freezes (scope, reason, actor, since) VALUES ($s, $r, $a, $t) ON CONFLICT (scope) DO UPDATE SET reason = $r, actor = $a, since = $t",
                ("$s", endpoint ?? GlobalScope), ("$r", reason), ("$a", actor), ("$t", tx.Now.UtcTicks));
            tx.Audit(actor, "freeze.set", endpoint, reason);
            tx.Feed(new FreezeChange(tx.Revision(), endpoint, Frozen: true));
            return true;
        });

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        Write(tx =>
        {
            var had = tx.Execute("DELETE FROM freezes WHERE scope = $s", ("$s", endpoint ?? GlobalScope)) == 1;
            if (had)
            {
                tx.Audit(actor, "freeze.cleared", endpoint, reason);
                tx.Feed(new FreezeChange(tx.Revision(), endpoint, Frozen: false));
            }

            return had;
        });

    public Task ReleaseSelfPreservationAsync(string zone, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(zone);
        return Write(tx =>
        {
            var now = tx.Now;
            tx.Execute("INSERT INTO releases (zone, at) VALUES ($z, $t) ON CONFLICT (zone) DO UPDATE SET at = $t", ("$z", zone), ("$t", now.UtcTicks));
            tx.Audit(actor, "self-preservation.released", zone, reason);
            tx.Feed(new SelfPreservationReleasedChange(tx.Revision(), zone, now));
            return true;
        });
    }

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetSelfPreservationReleasesAsync(CancellationToken cancellationToken = default) =>
        Read<IReadOnlyDictionary<string, DateTimeOffset>>(tx => tx.Query("SELECT zone, at FROM releases", r => (r.GetString(0), Time(r.GetInt64(1))))
            .ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Write<IReadOnlyList<AuditEntry>>(tx => [.. entries.Select(tx.Audit)]);
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<AuditEntry>>(tx => tx.Query("SELECT sequence, at, actor, action, endpoint, detail FROM audit WHERE sequence > $s ORDER BY sequence LIMIT $m", MapAudit, ("$s", afterSequence), ("$m", max)), cancellationToken);

    public Task<long> GetLastAuditSequenceAsync(CancellationToken cancellationToken = default) =>
        Read(tx => tx.Long("SELECT coalesce(max(sequence), 0) FROM audit"), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditForAsync(string endpoint, int max, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<AuditEntry>>(tx => tx.Query("SELECT sequence, at, actor, action, endpoint, detail FROM audit WHERE endpoint = $e ORDER BY sequence DESC LIMIT $m", MapAudit, ("$e", endpoint), ("$m", max)), cancellationToken);

    public Task<ChangePage> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return Read(tx =>
        {
            // Read inside the snapshot, so that the page and the revision it reports are of one state.
            var current = tx.Long("SELECT value FROM meta WHERE key = 'revision'");
            if (afterRevision < tx.Long("SELECT value FROM meta WHERE key = 'compacted'"))
            {
                return new ChangePage([], current, Compacted: true);
            }

            // One more than asked, then the rest of the last revision: a revision is never split across pages.
            var changes = tx.Query("SELECT revision, body FROM changes WHERE revision > $r ORDER BY revision, seq LIMIT $m",
                r => (Revision: r.GetInt64(0), Body: r.GetString(1)), ("$r", afterRevision), ("$m", max + 1));
            var full = changes.Count <= max;
            if (!full)
            {
                var last = changes[max - 1].Revision;
                changes.RemoveRange(max, changes.Count - max);
                changes.AddRange(tx.Query("SELECT revision, body FROM changes WHERE revision = $r AND seq >= $s ORDER BY seq",
                    r => (Revision: r.GetInt64(0), Body: r.GetString(1)), ("$r", last), ("$s", changes.Count(c => c.Revision == last))));
            }

            var through = full ? current : changes[^1].Revision;
            return new ChangePage([.. changes.Select(c => StoreJson.Deserialize<StoreChange>(c.Body))], Math.Max(afterRevision, through));
        }, cancellationToken);
    }

    private static AuditEntry MapAudit(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(r.GetInt64(0), Time(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5));
}
