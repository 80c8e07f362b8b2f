namespace Holdfast.Server.Api;

/// <summary>The addresses two plans differ by.</summary>
public sealed record DiffView(long From, long To, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Unchanged);
