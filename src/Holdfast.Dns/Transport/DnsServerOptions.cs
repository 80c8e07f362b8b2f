using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Holdfast.Dns.Transport;

/// <summary>Where and how the DNS server listens.</summary>
public sealed record DnsServerOptions
{
    /// <summary>UDP and TCP listen address; port 0 picks a free port (read it back from <see cref="DnsServer.UdpEndPoint"/>). Default 127.0.0.1:5353.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 5353);

    /// <summary>UDP receive loops; default one per core.</summary>
    [Range(1, 256)]
    public int UdpLoops { get; init; } = Environment.ProcessorCount;

    /// <summary>On Linux, receive and send UDP in batches (recvmmsg/sendmmsg). Default true; false keeps one system call per datagram.</summary>
    public bool BatchedUdp { get; init; } = true;

    /// <summary>RFC 7766 §6.2.3: close a TCP connection idle this long. Default 10 seconds.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open TCP connections at most; further connections are closed at once. Default 256.</summary>
    [Range(1, 100_000)]
    public int MaxTcpConnections { get; init; } = 256;

    /// <summary>Response rate limiting of UDP answers, shared by every listener given the same instance; null (default) = none.</summary>
    public ResponseRateLimiter? RateLimiter { get; init; }

    /// <summary>Told about every answered query (the host counts them for metrics); null = nobody.</summary>
    public IDnsQueryObserver? Observer { get; init; }
}
