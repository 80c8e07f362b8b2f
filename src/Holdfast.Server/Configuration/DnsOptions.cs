using System.Collections.Immutable;
using System.Net;
using Holdfast.Dns.Transfer;

namespace Holdfast.Server.Configuration;

/// <summary>The <c>dns</c> section.</summary>
public sealed record DnsOptions
{
    /// <summary>Addresses the DNS server answers on, UDP and TCP each (<c>dns.listen</c>). Default <c>[127.0.0.1:5353]</c>.</summary>
    public ImmutableArray<IPEndPoint> Listen { get; init; } = [new IPEndPoint(IPAddress.Loopback, 5353)];

    /// <summary>
    /// <c>dns.tsig</c>, <c>NAME:BASE64SECRET</c>: an HMAC-SHA256 key (RFC 8945). When set, every zone transfer must be
    /// signed with it (from an allowed prefix still) and NOTIFY messages are signed with it. Default none. The secret
    /// can come from the environment (<c>HOLDFAST_DNS__TSIG</c>) rather than the file. Changes take effect on restart.
    /// </summary>
    public TsigKey? Tsig { get; init; }
}
