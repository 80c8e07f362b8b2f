namespace Holdfast.Cli.Api.Contracts;

/// <summary>Body of <c>POST /api/v1/freeze</c> and <c>/unfreeze</c>: no endpoint means the global switch.</summary>
internal sealed record FreezeRequest(string? Endpoint, string Reason);
