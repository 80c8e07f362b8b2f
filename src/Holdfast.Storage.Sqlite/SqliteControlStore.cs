using System.Collections.Immutable;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Microsoft.Data.Sqlite;

namespace Holdfast.Storage.Sqlite;

/// <summary>
/// The embedded control store: one SQLite file (<c>holdfast.db</c>) in a data directory, WAL journal with
/// <c>synchronous=FULL</c> so that an acknowledged operation survives a crash of the process or the machine
/// (invariant I6). Every contract operation is one transaction. One process owns a data directory at a time
/// (an exclusive lock on <c>holdfast.lock</c>); inside it, operations are serialized on one connection,
/// which makes them linearizable.
/// </summary>
public sealed partial class SqliteControlStore : IControlStore, IDisposable
{
    public const string DatabaseFileName = "holdfast.db";
    public const string LockFileName = "holdfast.lock";

    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly FileStream _lockFile;
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();
    private bool _disposed;

    private SqliteControlStore(SqliteConnection connection, FileStream lockFile, TimeProvider time, string path)
    {
        _connection = connection;
        _lockFile = lockFile;
        _time = time;
        DatabasePath = path;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="dataDirectory"/> and migrates it forward.
    /// Throws <see cref="ControlStoreException"/> with an operator-facing message when the directory is in
    /// use by another process, the file is from a newer Holdfast, or the file is corrupt.
    /// </summary>
    public static SqliteControlStore Open(string dataDirectory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, DatabaseFileName));
        var lockFile = TakeLock(Path.Combine(dataDirectory, LockFileName), path);
        SqliteConnection? connection = null;
        try
        {
            // Pooling off: closing must really close the file, so that a reopen (or another process after
            // us) sees exactly what was committed.
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
            connection.Open();
            Pragma(connection, "PRAGMA journal_mode=WAL");
            Pragma(connection, "PRAGMA synchronous=FULL");
            Pragma(connection, "PRAGMA busy_timeout=5000");
            CheckIntegrity(connection, path);
            SqliteSchema.Migrate(connection, path);
            return new SqliteControlStore(connection, lockFile, time, path);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            // SQLITE_CORRUPT (11), SQLITE_NOTADB (26).
            Release(connection, lockFile);
            throw new ControlStoreException(ControlStoreFailure.Corrupt, $"{path} is not a valid Holdfast store ({ex.Message}). Move it aside and restore a backup; Holdfast will not overwrite it.", ex);
        }
        catch (SqliteException ex)
        {
            Release(connection, lockFile);
            throw new ControlStoreException(ControlStoreFailure.Io, $"cannot open {path}: {ex.Message}", ex);
        }
        catch
        {
            Release(connection, lockFile);
            throw;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Release(_connection, _lockFile);
        }
    }

    private static FileStream TakeLock(string lockPath, string databasePath)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second Holdfast process
            // on the same data directory fails here, before it touches the database.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new ControlStoreException(ControlStoreFailure.Locked, $"{databasePath} is in use by another Holdfast process (lock {lockPath} is held). Stop that process, or give this one another data directory.", ex);
        }
    }

    private static void CheckIntegrity(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check";
        var result = command.ExecuteScalar() as string;
        if (result != "ok")
        {
            throw new ControlStoreException(ControlStoreFailure.Corrupt, $"{path} fails its integrity check ({result}). Move it aside and restore a backup; Holdfast will not overwrite it.");
        }
    }

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Release(SqliteConnection? connection, FileStream lockFile)
    {
        connection?.Dispose();
        lockFile.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // ---- helpers over the one connection; callers hold _lock --------------------------------------

    private T Read<T>(Func<SqliteTransaction, T> body)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction(deferred: true);
            return body(transaction);
        }
    }

    private T Write<T>(Func<SqliteTransaction, T> body)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = body(transaction);
            transaction.Commit();
            return result;
        }
    }

    private SqliteCommand Command(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private int Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private object? Scalar(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private List<T> Query<T>(SqliteTransaction transaction, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    private void Audit(SqliteTransaction transaction, string actor, string action, string? endpoint, string detail) =>
        Execute(transaction, "INSERT INTO audit (at, actor, action, endpoint, detail) VALUES ($at, $actor, $action, $endpoint, $detail)",
            ("$at", _time.GetUtcNow().UtcTicks), ("$actor", actor), ("$action", action), ("$endpoint", endpoint), ("$detail", detail));

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static ImmutableArray<PlanRecord> Records(string json) => StoreJson.Deserialize<ImmutableArray<PlanRecord>>(json);
}
