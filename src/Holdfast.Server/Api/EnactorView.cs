namespace Holdfast.Server.Api;

/// <summary>
/// An enactor: when it last finished a pass and the last error of a pass, if any; how many endpoints wait for it and
/// how long the oldest has waited (its lag, seconds).
/// </summary>
public sealed record EnactorView(string Id, string Az, DateTimeOffset? LastPassAt, string? LastError, int Waiting = 0, double LagSeconds = 0);
