namespace Holdfast.Server.Api;

/// <summary>A target's health check as configured.</summary>
public sealed record HealthCheckView(string Kind, string? Url, int? Port, IReadOnlyList<string> Sources, int? Quorum);
