namespace Holdfast.Server.Api;

/// <summary>The freeze switches after a freeze or unfreeze.</summary>
public sealed record FreezeView(bool Global, string? GlobalReason, IReadOnlyList<string> Endpoints);
