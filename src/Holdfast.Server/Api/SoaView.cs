namespace Holdfast.Server.Api;

/// <summary>SOA values, timers in seconds.</summary>
public sealed record SoaView(string Mname, string Rname, int Refresh, int Retry, int Expire, int Minimum);
