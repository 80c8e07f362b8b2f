namespace Holdfast.Server.Api;

/// <summary>An enactor: when it last finished a pass and the last error of a pass, if any.</summary>
public sealed record EnactorView(string Id, string Az, DateTimeOffset? LastPassAt, string? LastError);
