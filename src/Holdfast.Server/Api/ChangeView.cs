namespace Holdfast.Server.Api;

/// <summary>Addresses added and removed by a change.</summary>
public sealed record ChangeView(IReadOnlyList<string> Added, IReadOnlyList<string> Removed);
