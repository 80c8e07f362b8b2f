using Microsoft.Data.Sqlite;

namespace Holdfast.Storage.Sqlite;

/// <summary>What a migration step works with: the connection inside the migrating transaction, the database path and the clock.</summary>
internal sealed class SqliteMigration(SqliteConnection connection, SqliteTransaction transaction, string path, TimeProvider time)
{
    /// <summary>The full path of the database file being migrated.</summary>
    public string DatabasePath { get; } = path;

    public TimeProvider Time { get; } = time;

    /// <summary>The version the store had before this migration run (0 for a new file).</summary>
    public int FromVersion { get; set; }

    public void Execute(params string[] statements)
    {
        foreach (var sql in statements)
        {
            using var command = Command(sql, []);
            command.ExecuteNonQuery();
        }
    }

    public void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var command = Command(sql, []);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map)
    {
        using var command = Command(sql, []);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
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
}
