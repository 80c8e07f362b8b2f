namespace Holdfast.Server.Api;

/// <summary>
/// The nodes that share an etcd store (null on SQLite): this node, the node running the planner (null while none holds
/// the key), every node whose lease is alive, the store revision this node serves and how far it is behind the store.
/// </summary>
public sealed record ClusterView(string Node, string? Planner, IReadOnlyList<NodeView> Nodes, long ServedRevision, long StoreRevision, long Lag);

