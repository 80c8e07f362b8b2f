namespace Holdfast.Server.Api;

/// <summary>Body of freeze and unfreeze: no endpoint = the global switch. <paramref name="Actor"/> defaults to <c>api</c>.</summary>
public sealed record FreezeRequest(string? Endpoint, string? Reason, string? Actor) : IReasonedRequest;
