namespace Holdfast.Server.Configuration;

/// <summary>Which engine holds the control store (<c>store.kind</c>).</summary>
public enum StoreKind
{
    /// <summary>The embedded SQLite file in the data directory: one machine.</summary>
    Sqlite,
}
