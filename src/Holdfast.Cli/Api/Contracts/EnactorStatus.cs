namespace Holdfast.Cli.Api.Contracts;

/// <summary>One enactor in <see cref="StatusResponse"/>.</summary>
internal sealed record EnactorStatus(string Id, string? Az, DateTimeOffset? LastPassAt, string? LastError);
