using System.Net;
using Holdfast.Dns.Transfer;

namespace Holdfast.Server.Configuration;

/// <summary>One entry of <c>zones[].push.targets</c>: a server that accepts UPDATE for the zone, signed with <see cref="Tsig"/> (RFC 8945, HMAC-SHA256).</summary>
public sealed record PushTargetOptions(string Name, IPEndPoint Server, TsigKey Tsig)
{
    // TsigKey holds its secret in an array: compare by value so that a reload with the same key is "no change".
    public bool Equals(PushTargetOptions? other) =>
        other is not null && Name == other.Name && Server.Equals(other.Server) && Tsig.NameText == other.Tsig.NameText && Tsig.Secret.AsSpan().SequenceEqual(other.Tsig.Secret);

    public override int GetHashCode() => HashCode.Combine(Name, Server, Tsig.NameText);
}
