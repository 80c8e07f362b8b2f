namespace Holdfast.Cli.Api.Contracts;

/// <summary>What one health source last said about a target.</summary>
internal sealed record SourceHealth(string Source, string? State, DateTimeOffset? LastCheckedAt, string? LastFailure);
