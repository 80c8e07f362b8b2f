namespace Holdfast.Server.Api;

/// <summary>A node of the cluster: its id, where it serves DNS and the API, and since when it is registered.</summary>
public sealed record NodeView(string Id, string Description, DateTimeOffset Since);
