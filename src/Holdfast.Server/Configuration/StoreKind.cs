namespace Holdfast.Server.Configuration;

/// <summary>Which engine holds the control store (<c>store.kind</c>).</summary>
public enum StoreKind
{
    /// <summary>The embedded SQLite file in the data directory: one machine.</summary>
    Sqlite,

    /// <summary>An etcd v3 cluster (<c>store.endpoints</c>, <c>store.prefix</c>): several Holdfast nodes share it.</summary>
    Etcd,
}
