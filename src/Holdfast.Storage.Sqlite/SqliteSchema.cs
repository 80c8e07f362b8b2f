using Microsoft.Data.Sqlite;

namespace Holdfast.Storage.Sqlite;

/// <summary>
/// The store's schema and its forward migrations. A migration is appended, never edited: version N takes a store at
/// version N-1 to N, inside the one transaction that migrates. A store at a version above <see cref="Current"/> was
/// written by a newer Holdfast and is refused.
/// </summary>
internal static class SqliteSchema
{
    private static readonly Action<SqliteMigration>[] s_migrations =
    [
        // 1: the first schema.
        m => m.Execute(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT",
            "INSERT INTO meta (key, value) VALUES ('generation', 0)",
            """
            CREATE TABLE plans (
                endpoint TEXT NOT NULL,
                generation INTEGER NOT NULL,
                body TEXT NOT NULL,
                rejected_reason TEXT,
                first_applied_at INTEGER,
                PRIMARY KEY (endpoint, generation)) STRICT
            """,
            """
            CREATE TABLE applied (
                endpoint TEXT PRIMARY KEY,
                generation INTEGER NOT NULL,
                records TEXT NOT NULL,
                applied_by TEXT NOT NULL,
                applied_at INTEGER NOT NULL,
                revision INTEGER NOT NULL) STRICT
            """,
            """
            CREATE TABLE changes (
                revision INTEGER PRIMARY KEY,
                endpoint TEXT NOT NULL,
                generation INTEGER NOT NULL,
                records TEXT NOT NULL,
                applied_by TEXT NOT NULL,
                applied_at INTEGER NOT NULL) STRICT
            """,
            """
            CREATE TABLE audit (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                endpoint TEXT,
                detail TEXT NOT NULL) STRICT
            """,
            "CREATE TABLE freezes (scope TEXT PRIMARY KEY, reason TEXT NOT NULL, actor TEXT NOT NULL, since INTEGER NOT NULL) STRICT",
            "CREATE TABLE zones (apex TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT",
            "CREATE TABLE endpoints (name TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT"),

        // 2: the store at scale (see SqliteMigrationToV2).
        SqliteMigrationToV2.Run,
    ];

    public static int Current => s_migrations.Length;

    /// <summary>Reads the store's version (0 for a new file) and applies the missing migrations in one transaction.</summary>
    /// <returns>The version the store was at before migrating.</returns>
    public static int Migrate(SqliteConnection connection, string path, TimeProvider time)
    {
        using var transaction = connection.BeginTransaction();
        var migration = new SqliteMigration(connection, transaction, path, time);
        migration.Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var found = migration.Scalar("SELECT max(version) FROM schema_version") is long v ? (int)v : 0;
        if (found > Current)
        {
            throw new Holdfast.ControlPlane.Store.ControlStoreException(
                Holdfast.ControlPlane.Store.ControlStoreFailure.NewerSchema,
                $"{path} has schema version {found}, but this Holdfast knows versions up to {Current}: it was written by a newer Holdfast. Run that version, or restore a backup.");
        }

        migration.FromVersion = found;
        for (var version = found + 1; version <= Current; version++)
        {
            s_migrations[version - 1](migration);
            migration.Execute($"INSERT INTO schema_version (version) VALUES ({version})");
        }

        transaction.Commit();
        return found;
    }
}
