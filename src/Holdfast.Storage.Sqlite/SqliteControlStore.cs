using System.Collections.Concurrent;
using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Store;
using Microsoft.Data.Sqlite;

namespace Holdfast.Storage.Sqlite;

/// <summary>
/// The embedded control store: one SQLite file (<c>holdfast.db</c>) in a data directory, WAL journal with
/// <c>synchronous=FULL</c> so that an acknowledged operation survives a crash of the process or the machine
/// (invariant I6). One process owns a data directory at a time (an exclusive lock on <c>holdfast.lock</c>).
/// </summary>
/// <remarks>
/// <para>Writes: one writer thread owns the write connection and commits in groups. Each operation (a batch is one
/// operation) runs inside its own savepoint, so one that fails rolls back alone; every operation waiting when the
/// writer takes the next group goes into one transaction and one fsync (group commit), and none is acknowledged before
/// that commit is durable. Operations are applied in the order they were queued, which makes them linearizable.</para>
/// <para>Reads: a small pool of read connections, each read one deferred transaction (a consistent WAL snapshot of
/// everything committed before it began), so reads never wait for a commit in progress.</para>
/// <para>The change feed keeps the newest <see cref="ChangeRetention"/> revisions; older ones are pruned in the
/// write path and a reader behind them gets a compacted page.</para>
/// </remarks>
public sealed partial class SqliteControlStore : IControlStore, IDisposable
{
    public const string DatabaseFileName = "holdfast.db";
    public const string LockFileName = "holdfast.lock";
    private const int MaxGroup = 256;
    private const int MaxReaders = 4;

    private readonly FileStream _lockFile;
    private readonly TimeProvider _time;
    private readonly SqliteConnection _writer;
    private readonly BlockingCollection<WriteItem> _queue = new();
    private readonly Thread _writerThread;
    private readonly ConcurrentBag<SqliteConnection> _idleReaders = [];
    private readonly SemaphoreSlim _readers = new(MaxReaders, MaxReaders);
    private readonly Lock _signalLock = new();
    private readonly string _connectionString;
    private readonly AsyncSignal _changed = new();
    // Written by the writer thread only, ahead of the commit; _committed is what readers may rely on.
    private long _revision;
    private long _compactedThrough;
    private long _committed;
    private int _disposed;

    private SqliteControlStore(SqliteConnection writer, FileStream lockFile, TimeProvider time, string path, string connectionString, long changeRetention)
    {
        _writer = writer;
        _lockFile = lockFile;
        _time = time;
        _connectionString = connectionString;
        DatabasePath = path;
        ChangeRetention = changeRetention;
        _revision = MetaValue(writer, "revision");
        _committed = _revision;
        _compactedThrough = MetaValue(writer, "compacted");
        _writerThread = new Thread(WriterLoop) { Name = "holdfast-store-writer", IsBackground = true };
        _writerThread.Start();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>How many of the newest revisions the change feed keeps.</summary>
    public long ChangeRetention { get; }

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="dataDirectory"/> and migrates it forward. Throws
    /// <see cref="ControlStoreException"/> with an operator-facing message when the directory is in use by another
    /// process, the file is from a newer Holdfast, or the file is corrupt.
    /// </summary>
    public static SqliteControlStore Open(string dataDirectory, TimeProvider time, long changeRetention = 200_000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(changeRetention, 1);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, DatabaseFileName));
        var lockFile = TakeLock(Path.Combine(dataDirectory, LockFileName), path);
        SqliteConnection? connection = null;
        try
        {
            // Pooling off: closing must really close the file, so that a reopen (or another process after us) sees
            // exactly what was committed.
            var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
            connection = new SqliteConnection(connectionString);
            connection.Open();
            Pragma(connection, "PRAGMA journal_mode=WAL");
            Pragma(connection, "PRAGMA synchronous=FULL");
            Pragma(connection, "PRAGMA busy_timeout=5000");
            CheckIntegrity(connection, path);
            SqliteSchema.Migrate(connection, path, time);
            return new SqliteControlStore(connection, lockFile, time, path, connectionString, changeRetention);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            // SQLITE_CORRUPT (11), SQLITE_NOTADB (26).
            connection?.Dispose();
            lockFile.Dispose();
            throw new ControlStoreException(ControlStoreFailure.Corrupt, $"{path} is not a valid Holdfast store ({ex.Message}). Move it aside and restore a backup; Holdfast will not overwrite it.", ex);
        }
        catch (SqliteException ex)
        {
            connection?.Dispose();
            lockFile.Dispose();
            throw new ControlStoreException(ControlStoreFailure.Io, $"cannot open {path}: {ex.Message}", ex);
        }
        catch
        {
            connection?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Finishes every queued write, then closes the connections and releases the directory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.CompleteAdding();
        _writerThread.Join();
        _writer.Dispose();
        while (_idleReaders.TryTake(out var reader))
        {
            reader.Dispose();
        }

        _queue.Dispose();
        _lockFile.Dispose();
    }

    private static FileStream TakeLock(string lockPath, string databasePath)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second Holdfast process on the same
            // data directory fails here, before it touches the database.
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

    private static long MetaValue(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        return command.ExecuteScalar() is long value ? value : 0;
    }

    /// <summary>The store's clock.</summary>
    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The next revision; the writer thread only (an operation rolled back gives it back).</summary>
    internal long NextRevision() => ++_revision;

    // ---- writes: the group-commit writer ----------------------------------------------------------

    /// <summary>Queues <paramref name="body"/> as one operation and completes when its group is durable.</summary>
    private Task<T> Write<T>(Func<SqliteTx, T> body)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var item = new WriteItem(tx => body(tx));
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(SqliteControlStore));
        }

        return Await<T>(item.Completion.Task);
    }

    private static async Task<T> Await<T>(Task<object?> task) => (T)(await task)!;

    private void WriterLoop()
    {
        var group = new List<WriteItem>(MaxGroup);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            group.Clear();
            group.Add(first);
            while (group.Count < MaxGroup && _queue.TryTake(out var next))
            {
                group.Add(next);
            }

            RunGroup(group);
        }
    }

    private void RunGroup(List<WriteItem> group)
    {
        var revisionBefore = _revision;
        var compactedBefore = _compactedThrough;
        var results = new (object? Value, Exception? Error)[group.Count];
        try
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            for (var i = 0; i < group.Count; i++)
            {
                var tx = new SqliteTx(this, _writer, transaction);
                var revisionAtStart = _revision;
                tx.Execute("SAVEPOINT op");
                try
                {
                    results[i] = (group[i].Body(tx), null);
                    if (tx.TookRevision)
                    {
                        tx.Execute("UPDATE meta SET value = $v WHERE key = 'revision'", ("$v", _revision));
                    }

                    tx.Execute("RELEASE op");
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    tx.Execute("ROLLBACK TO op");
                    tx.Execute("RELEASE op");
                    _revision = revisionAtStart;
                    results[i] = (null, Translate(ex));
                }
            }

            PruneChanges(transaction);
            transaction.Commit();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing of the group is committed: every operation in it fails, and the counters go back.
            _revision = revisionBefore;
            _compactedThrough = compactedBefore;
            var failure = Translate(ex);
            foreach (var item in group)
            {
                item.Completion.TrySetException(failure);
            }

            return;
        }

        if (_revision != revisionBefore)
        {
            lock (_signalLock)
            {
                Interlocked.Exchange(ref _committed, _revision);
            }

            _changed.Set();
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (results[i].Error is { } error)
            {
                group[i].Completion.TrySetException(error);
            }
            else
            {
                group[i].Completion.TrySetResult(results[i].Value);
            }
        }
    }

    private void PruneChanges(SqliteTransaction transaction)
    {
        if (_revision - _compactedThrough <= ChangeRetention + 1024)
        {
            return;
        }

        // Pruned in steps of at least 1024 revisions, so that the delete runs rarely.
        var tx = new SqliteTx(this, _writer, transaction);
        CompactLocked(tx, _revision - ChangeRetention);
    }

    private void CompactLocked(SqliteTx tx, long throughRevision)
    {
        if (throughRevision <= _compactedThrough)
        {
            return;
        }

        tx.Execute("DELETE FROM changes WHERE revision <= $r", ("$r", throughRevision));
        tx.Execute("UPDATE meta SET value = $r WHERE key = 'compacted'", ("$r", throughRevision));
        _compactedThrough = throughRevision;
    }

    /// <summary>Drops the changes of every revision up to <paramref name="throughRevision"/> (as the retention does); readers behind it get a compacted page.</summary>
    public Task CompactChangesAsync(long throughRevision) =>
        Write(tx =>
        {
            CompactLocked(tx, Math.Min(throughRevision, _revision));
            return true;
        });

    private static Exception Translate(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 11 or 26 } sqlite => new ControlStoreException(ControlStoreFailure.Corrupt, "the store file is corrupt: " + sqlite.Message, sqlite),
        SqliteException sqlite => new ControlStoreException(ControlStoreFailure.Io, "the store failed a write: " + sqlite.Message, sqlite),
        _ => ex,
    };

    // ---- reads: the reader pool -------------------------------------------------------------------

    private async Task<T> Read<T>(Func<SqliteTx, T> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        await _readers.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            if (!_idleReaders.TryTake(out connection))
            {
                connection = new SqliteConnection(_connectionString);
                connection.Open();
                Pragma(connection, "PRAGMA busy_timeout=5000");
            }

            using var transaction = connection.BeginTransaction(deferred: true);
            return body(new SqliteTx(this, connection, transaction));
        }
        catch (SqliteException ex)
        {
            connection?.Dispose();
            connection = null;
            throw Translate(ex);
        }
        finally
        {
            if (connection is not null)
            {
                if (Volatile.Read(ref _disposed) == 1)
                {
                    connection.Dispose();
                }
                else
                {
                    _idleReaders.Add(connection);
                }
            }

            _readers.Release();
        }
    }

    // ---- the change signal --------------------------------------------------------------------------

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(Interlocked.Read(ref _committed));

    public async Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        long version;
        lock (_signalLock)
        {
            // The writer publishes _committed under this lock and sets the signal after: reading both here means a
            // commit between this check and the wait is seen by the wait.
            if (Interlocked.Read(ref _committed) > afterRevision)
            {
                return;
            }

            version = _changed.Version;
        }

        await _changed.WaitAsync(version, maxWait, _time, cancellationToken);
    }

    private sealed class WriteItem(Func<SqliteTx, object?> body)
    {
        public Func<SqliteTx, object?> Body { get; } = body;

        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
