using System.Collections.Immutable;

namespace Holdfast.Server.Configuration;

/// <summary>
/// The <c>store</c> section: which engine holds the control store. Every piece of durable state lives there (desired
/// state with health checks, plans, applied state, freezes, releases, zone-file digests, audit); the data directory
/// keeps the API token and caches a node can rebuild.
/// </summary>
public sealed record StoreOptions
{
    /// <summary><c>sqlite</c> (default): <c>holdfast.db</c> in the data directory; <c>etcd</c>: a cluster shared by several nodes.</summary>
    public StoreKind Kind { get; init; } = StoreKind.Sqlite;

    /// <summary>How many of the newest revisions the change feed keeps (<c>store.changeRetention</c>); a follower further behind reloads. Default 200,000.</summary>
    public long ChangeRetention { get; init; } = 200_000;

    /// <summary>The etcd members' client URLs (<c>store.endpoints</c>, kind etcd only, at least one).</summary>
    public ImmutableArray<Uri> Endpoints { get; init; } = [];

    /// <summary>The key prefix of this installation in etcd (<c>store.prefix</c>, kind etcd only; default <c>/holdfast/</c>).</summary>
    public string Prefix { get; init; } = "/holdfast/";

    /// <summary>
    /// This process's name among the nodes that share the store (<c>store.nodeId</c>): letters, digits, '.', '_' and '-'.
    /// Null: the machine name and process id.
    /// </summary>
    public string? NodeId { get; init; }
}
