using System.Collections.Immutable;
using System.Net;

namespace Holdfast.Server.Configuration;

/// <summary>The <c>dns</c> section.</summary>
public sealed record DnsOptions
{
    /// <summary>Addresses the DNS server answers on, UDP and TCP each (<c>dns.listen</c>). Default <c>[127.0.0.1:5353]</c>.</summary>
    public ImmutableArray<IPEndPoint> Listen { get; init; } = [new IPEndPoint(IPAddress.Loopback, 5353)];
}
