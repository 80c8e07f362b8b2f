using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Storage.Sqlite.Tests;

/// <summary>
/// A store written by schema 1 (built here with schema 1's statements, which are frozen: a migration is appended,
/// never edited) opens at schema 2 with nothing lost and the zone serial not going back.
/// </summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private const string Endpoint = "api.svc.example.";
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Open_SchemaOneStore_MigratesEndpointsPlansAppliedStateAndStaticZones_SerialNeverGoesBack()
    {
        WriteSchemaOneStore();

        using var store = SqliteControlStore.Open(_directory.Path, _time);

        var read = await store.ReadEndpointsAsync([Endpoint, "gone.svc.example."], EndpointParts.All, TestContext.Current.CancellationToken);
        var gone = read[1];
        gone.Spec.ShouldBeNull();
        gone.Plans.ShouldBeEmpty(); // a plan of an endpoint schema 1 had deleted is dropped, not carried over
        var stored = read[0];
        stored.Spec!.Targets.Select(t => t.Id).ShouldBe(["t1", "t2"]);
        stored.Spec.Policy.Ttl.ShouldBe(20);
        stored.Applied!.Generation.ShouldBe(new Generation(3));
        stored.Applied.Records.ShouldHaveSingleItem().Address.ToString().ShouldBe("127.0.0.11");
        stored.Plans.Select(p => p.Plan.Generation.Value).ShouldBe([3L, 5L]);
        stored.Plans[0].WasApplied.ShouldBeTrue();

        // Schema 1 served serial 1 + applies (7) + zone-file changes (2) = 10; schema 2 derives it from the revision.
        var zone = (await store.ListZonesAsync(TestContext.Current.CancellationToken)).ShouldHaveSingleItem();
        zone.Serial.ShouldBeGreaterThanOrEqualTo(10u);
        zone.StaticDigest.ShouldBe("digest-of-the-file");
        zone.StaticChanges.ShouldBe(2);

        // Generations keep counting from where schema 1 stopped: never reused.
        (await store.AllocateGenerationsAsync(1, TestContext.Current.CancellationToken)).Value.ShouldBeGreaterThan(5);
        var audit = await store.ReadAuditAsync(0, 100, TestContext.Current.CancellationToken);
        audit.ShouldContain(a => a.Action == "store.migrated" && a.Detail.Contains("dropped 1 plans of deleted endpoints", StringComparison.Ordinal));

        using var connection = new SqliteConnection($"Data Source={store.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var version = connection.CreateCommand();
        version.CommandText = "SELECT max(version) FROM schema_version";
        version.ExecuteScalar().ShouldBe(2L);
    }

    private void WriteSchemaOneStore()
    {
        var spec = """{"Name":"api.svc.example.","Zone":"svc.example.","Policy":{"Ttl":20,"MaxAnswers":0,"CapacityFloor":0.3,"VelocityLimit":0.5,"VelocityWindow":"00:01:00","FailOpen":true},"Targets":[{"Id":"t1","Address":"127.0.0.11","AvailabilityZone":"az1","Weight":1,"Capacity":10,"AdminState":"Enabled","HealthCheck":null},{"Id":"t2","Address":"127.0.0.12","AvailabilityZone":"az2","Weight":1,"Capacity":10,"AdminState":"Enabled","HealthCheck":null}]}""";
        var zone = """{"Apex":"svc.example.","Soa":{"PrimaryNameServer":"ns1.svc.example.","ResponsibleMailbox":"hostmaster.svc.example.","Refresh":3600,"Retry":600,"Expire":604800,"Minimum":60},"NameServers":["ns1.svc.example."],"DefaultTtl":3600}""";
        string Plan(string endpoint, int generation, string address) =>
            $$"""{"Endpoint":"{{endpoint}}","Generation":{"Value":{{generation}}},"Records":[{"TargetId":"t1","Address":"{{address}}","Weight":1,"Capacity":10}],"InputsHash":"00","Reason":"test","Decisions":[],"CreatedAt":"2026-11-01T00:00:00+00:00","Origin":"Planner","Override":null}""";
        var records = """[{"TargetId":"t1","Address":"127.0.0.11","Weight":1,"Capacity":10}]""";
        var path = Path.Combine(_directory.Path, SqliteControlStore.DatabaseFileName);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        var at = _time.GetUtcNow().UtcTicks;
        foreach (var sql in new[]
        {
            "CREATE TABLE schema_version (version INTEGER NOT NULL)",
            "INSERT INTO schema_version (version) VALUES (1)",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT",
            "INSERT INTO meta (key, value) VALUES ('generation', 5)",
            "CREATE TABLE plans (endpoint TEXT NOT NULL, generation INTEGER NOT NULL, body TEXT NOT NULL, rejected_reason TEXT, first_applied_at INTEGER, PRIMARY KEY (endpoint, generation)) STRICT",
            "CREATE TABLE applied (endpoint TEXT PRIMARY KEY, generation INTEGER NOT NULL, records TEXT NOT NULL, applied_by TEXT NOT NULL, applied_at INTEGER NOT NULL, revision INTEGER NOT NULL) STRICT",
            "CREATE TABLE changes (revision INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, generation INTEGER NOT NULL, records TEXT NOT NULL, applied_by TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT",
            "CREATE TABLE audit (sequence INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, endpoint TEXT, detail TEXT NOT NULL) STRICT",
            "CREATE TABLE freezes (scope TEXT PRIMARY KEY, reason TEXT NOT NULL, actor TEXT NOT NULL, since INTEGER NOT NULL) STRICT",
            "CREATE TABLE zones (apex TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT",
            "CREATE TABLE endpoints (name TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT",
        })
        {
            Execute(connection, sql);
        }

        Execute(connection, "INSERT INTO zones (apex, body) VALUES ('svc.example.', $b)", ("$b", zone));
        Execute(connection, "INSERT INTO endpoints (name, body) VALUES ($n, $b)", ("$n", Endpoint), ("$b", spec));
        Execute(connection, "INSERT INTO plans (endpoint, generation, body, first_applied_at) VALUES ($e, 3, $b, $t)", ("$e", Endpoint), ("$b", Plan(Endpoint, 3, "127.0.0.11")), ("$t", at));
        Execute(connection, "INSERT INTO plans (endpoint, generation, body) VALUES ($e, 5, $b)", ("$e", Endpoint), ("$b", Plan(Endpoint, 5, "127.0.0.12")));
        Execute(connection, "INSERT INTO plans (endpoint, generation, body) VALUES ('gone.svc.example.', 4, $b)", ("$b", Plan("gone.svc.example.", 4, "127.0.0.40")));
        Execute(connection, "INSERT INTO applied (endpoint, generation, records, applied_by, applied_at, revision) VALUES ($e, 3, $r, 'e1', $t, 7)", ("$e", Endpoint), ("$r", records), ("$t", at));
        for (var revision = 1; revision <= 7; revision++)
        {
            Execute(connection, "INSERT INTO changes (revision, endpoint, generation, records, applied_by, applied_at) VALUES ($v, $e, 3, $r, 'e1', $t)", ("$v", revision), ("$e", Endpoint), ("$r", records), ("$t", at));
        }

        File.WriteAllText(Path.Combine(_directory.Path, "static-zones.json"), """{ "svc.example.": { "Digest": "digest-of-the-file", "Changes": 2 } }""");
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
