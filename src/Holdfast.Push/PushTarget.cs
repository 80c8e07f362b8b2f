using System.Net;
using Holdfast.Dns.Transfer;

namespace Holdfast.Push;

/// <summary>
/// One external authoritative server (BIND, Knot, PowerDNS, …) that receives a zone's endpoints by RFC 2136 UPDATE,
/// signed with <paramref name="Key"/> (RFC 8945, HMAC-SHA256). <paramref name="Name"/> is the target's label in status,
/// metrics and events (bounded: one per configured target).
/// </summary>
public sealed record PushTarget(string Name, string Zone, IPEndPoint Server, TsigKey Key);
