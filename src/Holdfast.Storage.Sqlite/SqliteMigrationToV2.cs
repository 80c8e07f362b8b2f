using System.Text.Json;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Storage.Sqlite;

/// <summary>
/// Schema 2, the store at scale: endpoints carry their zone, TTL and answer limit as columns (the DNS server's read needs
/// no JSON); plans are flagged when they carry an alarm; applied records are kept in the compact binary form
/// (<see cref="PlanRecordCodec"/>); the change feed is the general, typed, pruned feed of every revision; zones keep the
/// serving revision their serial derives from, and the digest of their files (formerly <c>static-zones.json</c> beside
/// the database); self-preservation releases are stored; audit is indexed by endpoint.
/// </summary>
/// <remarks>
/// Serials never go back across the upgrade: version 1 served <c>1 + applies + static changes</c>, and the store's
/// revision starts at <c>applies + the sum of every zone's static changes</c>, which every zone's serving revision is
/// set to, so the first serial after the upgrade is at least the last one before it. Plans and applied state of
/// endpoints that had been deleted (version 1 left them behind, unserved) are dropped: deleting an endpoint now deletes
/// them too.
/// </remarks>
internal static class SqliteMigrationToV2
{
    public const string LegacyStaticZonesFile = "static-zones.json";

    public static void Run(SqliteMigration m)
    {
        m.Execute(
            "ALTER TABLE endpoints RENAME TO endpoints_v1",
            "ALTER TABLE plans RENAME TO plans_v1",
            "ALTER TABLE applied RENAME TO applied_v1",
            "ALTER TABLE changes RENAME TO changes_v1",
            "CREATE TABLE endpoints (name TEXT PRIMARY KEY, zone TEXT NOT NULL, ttl INTEGER NOT NULL, max_answers INTEGER NOT NULL, body TEXT NOT NULL) STRICT",
            """
            CREATE TABLE plans (
                endpoint TEXT NOT NULL,
                generation INTEGER NOT NULL,
                body TEXT NOT NULL,
                rejected_reason TEXT,
                first_applied_at INTEGER,
                has_alarm INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (endpoint, generation)) STRICT
            """,
            "CREATE INDEX plans_alarm ON plans (endpoint) WHERE has_alarm = 1",
            """
            CREATE TABLE applied (
                endpoint TEXT PRIMARY KEY,
                generation INTEGER NOT NULL,
                records BLOB NOT NULL,
                applied_by TEXT NOT NULL,
                applied_at INTEGER NOT NULL,
                revision INTEGER NOT NULL) STRICT
            """,
            "CREATE TABLE changes (revision INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (revision, seq)) STRICT, WITHOUT ROWID",
            "CREATE TABLE zone_serving (apex TEXT PRIMARY KEY, revision INTEGER NOT NULL, static_digest TEXT, static_changes INTEGER NOT NULL DEFAULT 0) STRICT",
            "CREATE TABLE releases (zone TEXT PRIMARY KEY, at INTEGER NOT NULL) STRICT",
            "CREATE INDEX audit_by_endpoint ON audit (endpoint, sequence) WHERE endpoint IS NOT NULL");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var body in m.Query("SELECT body FROM endpoints_v1", r => r.GetString(0)))
        {
            var spec = StoreJson.Deserialize<EndpointSpec>(body);
            names.Add(spec.Name);
            m.Execute("INSERT INTO endpoints (name, zone, ttl, max_answers, body) VALUES ($n, $z, $t, $m, $b)",
                ("$n", spec.Name), ("$z", spec.Zone), ("$t", spec.Policy.Ttl), ("$m", spec.Policy.MaxAnswers), ("$b", StoreJson.Serialize(spec)));
        }

        var droppedPlans = 0;
        foreach (var (endpoint, generation, body, rejected, firstApplied) in m.Query("SELECT endpoint, generation, body, rejected_reason, first_applied_at FROM plans_v1",
            r => (r.GetString(0), r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? (long?)null : r.GetInt64(4))))
        {
            if (!names.Contains(endpoint))
            {
                droppedPlans++;
                continue;
            }

            var alarm = PlanAlarms.HasAlarm(StoreJson.Deserialize<Plan>(body)) ? 1 : 0;
            m.Execute("INSERT INTO plans (endpoint, generation, body, rejected_reason, first_applied_at, has_alarm) VALUES ($e, $g, $b, $r, $f, $a)",
                ("$e", endpoint), ("$g", generation), ("$b", body), ("$r", rejected), ("$f", firstApplied), ("$a", alarm));
        }

        foreach (var (endpoint, generation, records, by, at, appliedRevision) in m.Query("SELECT endpoint, generation, records, applied_by, applied_at, revision FROM applied_v1",
            r => (r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5))))
        {
            if (names.Contains(endpoint))
            {
                var blob = PlanRecordCodec.Encode(StoreJson.Deserialize<System.Collections.Immutable.ImmutableArray<PlanRecord>>(records));
                m.Execute("INSERT INTO applied (endpoint, generation, records, applied_by, applied_at, revision) VALUES ($e, $g, $r, $b, $a, $v)",
                    ("$e", endpoint), ("$g", generation), ("$r", blob), ("$b", by), ("$a", at), ("$v", appliedRevision));
            }
        }

        var statics = ReadLegacyStaticZones(m.DatabasePath);
        var revision = (m.Scalar("SELECT coalesce(max(revision), 0) FROM changes_v1") as long? ?? 0) + statics.Values.Sum(s => s.Changes);
        m.Execute("INSERT INTO meta (key, value) VALUES ('revision', $r), ('compacted', $r)", ("$r", revision));
        foreach (var apex in m.Query("SELECT apex FROM zones", r => r.GetString(0)).Concat(statics.Keys).Distinct(StringComparer.Ordinal))
        {
            var found = statics.TryGetValue(apex, out var s);
            m.Execute("INSERT INTO zone_serving (apex, revision, static_digest, static_changes) VALUES ($a, $r, $d, $c)",
                ("$a", apex), ("$r", revision), ("$d", found ? s.Digest : null), ("$c", found ? s.Changes : 0));
        }

        m.Execute("DROP TABLE endpoints_v1", "DROP TABLE plans_v1", "DROP TABLE applied_v1", "DROP TABLE changes_v1");
        if (m.FromVersion >= 1)
        {
            m.Execute("INSERT INTO audit (at, actor, action, endpoint, detail) VALUES ($at, 'store', 'store.migrated', NULL, $d)",
                ("$at", m.Time.GetUtcNow().UtcTicks), ("$d", $"schema 1 -> 2: revision starts at {revision}; dropped {droppedPlans} plans of deleted endpoints"));
        }
    }

    /// <summary>Version 1 kept each zone's file digest and change count beside the database; they move into the store.</summary>
    private static Dictionary<string, (string Digest, long Changes)> ReadLegacyStaticZones(string databasePath)
    {
        var result = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        var file = Path.Combine(Path.GetDirectoryName(databasePath)!, LegacyStaticZonesFile);
        if (!File.Exists(file))
        {
            return result;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(file));
        foreach (var zone in document.RootElement.EnumerateObject())
        {
            result[zone.Name] = (zone.Value.GetProperty("Digest").GetString() ?? "", zone.Value.GetProperty("Changes").GetInt64());
        }

        return result;
    }
}
