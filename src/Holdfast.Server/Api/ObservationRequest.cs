namespace Holdfast.Server.Api;

/// <summary>An external monitor's observation: <paramref name="State"/> is up, down or unexpected.</summary>
public sealed record ObservationRequest(string? Source, string? Endpoint, string? Target, string? State, string? Reason);
