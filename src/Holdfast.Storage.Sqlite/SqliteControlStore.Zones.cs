using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Storage.Sqlite;

/// <summary>Zones, their files' digests and the served state.</summary>
public sealed partial class SqliteControlStore
{
    public Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Write(tx =>
        {
            var body = StoreJson.Serialize(zone);
            if (tx.Scalar("SELECT body FROM zones WHERE apex = $k", ("$k", zone.Apex)) as string == body)
            {
                return false;
            }

            tx.Execute("INSERT INTO zones (apex, body) VALUES ($k, $b) ON CONFLICT (apex) DO UPDATE SET body = $b", ("$k", zone.Apex), ("$b", body));
            tx.Touch(zone.Apex);
            tx.Audit(actor, "zone.put", zone.Apex, zone.Apex);
            tx.Feed(new ZonePutChange(tx.Revision(), zone));
            return true;
        });
    }

    public Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default) =>
        Write(tx =>
        {
            var removed = tx.Execute("DELETE FROM zones WHERE apex = $k", ("$k", apex)) == 1;
            if (removed)
            {
                tx.Touch(apex);
                tx.Audit(actor, "zone.deleted", apex, apex);
                tx.Feed(new ZoneDeletedChange(tx.Revision(), apex));
            }

            return removed;
        });

    public Task<IReadOnlyList<StoredZone>> ListZonesAsync(CancellationToken cancellationToken = default) =>
        Read(ListZones, cancellationToken);

    private static IReadOnlyList<StoredZone> ListZones(SqliteTx tx) => tx.Query(
        "SELECT z.body, coalesce(s.revision, 0), s.static_digest, coalesce(s.static_changes, 0) FROM zones z LEFT JOIN zone_serving s ON s.apex = z.apex ORDER BY z.apex",
        r => new StoredZone(StoreJson.Deserialize<ZoneSpec>(r.GetString(0)), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt64(3)));

    public Task<StaticZoneVersion> SetStaticZoneAsync(string apex, string digest, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(apex);
        ArgumentException.ThrowIfNullOrEmpty(digest);
        return Write(tx =>
        {
            var known = tx.Query("SELECT static_digest, static_changes FROM zone_serving WHERE apex = $a", r => (Digest: r.IsDBNull(0) ? null : r.GetString(0), Changes: r.GetInt64(1)), ("$a", apex));
            var (knownDigest, knownChanges) = known.Count > 0 ? known[0] : (null, 0);
            if (knownDigest == digest)
            {
                return new StaticZoneVersion(apex, digest, knownChanges, Changed: false);
            }

            // The first digest of a zone is its starting content (0 changes); each different one after it is a change.
            var changes = knownDigest is null ? knownChanges : knownChanges + 1;
            tx.Touch(apex);
            tx.Execute("UPDATE zone_serving SET static_digest = $d, static_changes = $c WHERE apex = $a", ("$d", digest), ("$c", changes), ("$a", apex));
            tx.Audit(actor, "zone.static", apex, $"zone files changed ({changes} change(s)), digest {digest[..Math.Min(12, digest.Length)]}");
            tx.Feed(new StaticZoneChange(tx.Revision(), apex, digest, changes));
            return new StaticZoneVersion(apex, digest, changes, Changed: true);
        });
    }

    public Task<ServingState> ReadServingStateAsync(CancellationToken cancellationToken = default) =>
        Read(tx =>
        {
            var revision = tx.Long("SELECT value FROM meta WHERE key = 'revision'");
            var endpoints = tx.Query(
                "SELECT e.name, e.zone, e.ttl, e.max_answers, a.generation, a.records FROM endpoints e LEFT JOIN applied a ON a.endpoint = e.name ORDER BY e.name",
                r => new ServedEndpoint(
                    r.GetString(0),
                    r.GetString(1),
                    r.GetInt32(2),
                    r.GetInt32(3),
                    r.IsDBNull(4) ? Generation.None : new Generation(r.GetInt64(4)),
                    r.IsDBNull(5) ? [] : PlanRecordCodec.Decode((byte[])r.GetValue(5))));
            return new ServingState(revision, ListZones(tx), endpoints);
        }, cancellationToken);
}
