namespace Holdfast.Server.Configuration;

/// <summary>
/// The <c>store</c> section: which engine holds the control store. Every piece of durable state lives there (desired
/// state with health checks, plans, applied state, freezes, releases, zone-file digests, audit); the data directory
/// keeps the API token and caches a node can rebuild.
/// </summary>
public sealed record StoreOptions
{
    /// <summary><c>sqlite</c> (default): <c>holdfast.db</c> in the data directory.</summary>
    public StoreKind Kind { get; init; } = StoreKind.Sqlite;

    /// <summary>How many of the newest revisions the change feed keeps (<c>store.changeRetention</c>); a follower further behind reloads. Default 200,000.</summary>
    public long ChangeRetention { get; init; } = 200_000;
}
