using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Microsoft.Data.Sqlite;

namespace Holdfast.Storage.Sqlite;

/// <summary>
/// One operation's view of a transaction: statements, the audit and change-feed appends of a mutation, and the
/// operation's revision (taken on first use, once per operation, by the writer thread only).
/// </summary>
internal sealed class SqliteTx(SqliteControlStore store, SqliteConnection connection, SqliteTransaction transaction)
{
    private long _revision;
    private int _changeSequence;

    /// <summary>True once the operation changed something that takes a revision.</summary>
    public bool TookRevision => _revision != 0;

    public DateTimeOffset Now => store.Now;

    /// <summary>This operation's revision.</summary>
    public long Revision()
    {
        if (_revision == 0)
        {
            _revision = store.NextRevision();
        }

        return _revision;
    }

    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public long Long(string sql, params (string Name, object? Value)[] parameters) => Scalar(sql, parameters) is long value ? value : 0;

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    public void Audit(string actor, string action, string? endpoint, string detail) =>
        Execute("INSERT INTO audit (at, actor, action, endpoint, detail) VALUES ($at, $actor, $action, $endpoint, $detail)",
            ("$at", Now.UtcTicks), ("$actor", actor), ("$action", action), ("$endpoint", endpoint), ("$detail", detail));

    public AuditEntry Audit(AuditEntry entry)
    {
        var sequence = Long("INSERT INTO audit (at, actor, action, endpoint, detail) VALUES ($at, $actor, $action, $endpoint, $detail) RETURNING sequence",
            ("$at", entry.At.UtcTicks), ("$actor", entry.Actor), ("$action", entry.Action), ("$endpoint", entry.Endpoint), ("$detail", entry.Detail));
        return entry with { Sequence = sequence };
    }

    public void Feed(StoreChange change) =>
        Execute("INSERT INTO changes (revision, seq, body) VALUES ($r, $s, $b)", ("$r", change.Revision), ("$s", _changeSequence++), ("$b", StoreJson.Serialize(change)));

    /// <summary>Moves a zone's serving revision to this operation's revision (the zone's serial derives from it).</summary>
    public void Touch(string apex) =>
        Execute("INSERT INTO zone_serving (apex, revision) VALUES ($a, $r) ON CONFLICT (apex) DO UPDATE SET revision = $r", ("$a", apex), ("$r", Revision()));
}
