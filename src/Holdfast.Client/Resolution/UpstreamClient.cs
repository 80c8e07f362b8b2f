using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Holdfast.Client.Telemetry;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Holdfast.Client.Resolution;

/// <summary>
/// Asks one upstream one question: over UDP on a fresh connected socket (a new source port per query, RFC 5452 §4.5),
/// and again over TCP when the reply is truncated (RFC 7766 §5; RFC 1035 §4.2.1). Replies whose ID or question do not
/// match are ignored, not accepted (RFC 5452 §9.1). Thread-safe.
/// </summary>
internal sealed class UpstreamClient(HoldfastResolverOptions options, TimeProvider time, SeededRandom random, ClientMetrics metrics, ILogger logger)
{
    public async Task<UpstreamAnswer> QueryAsync(IPEndPoint server, string name, ushort type, CancellationToken cancellationToken)
    {
        var id = (ushort)random.Next(0, 65536);
        var query = DnsQueryBuilder.Build(id, name, type, ednsPayload: options.EdnsUdpPayload is { } payload ? (ushort)payload : null, recursionDesired: true);
        var questionName = WireName.FromText(name);
        using var timeout = new CancellationTokenSource(options.QueryTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var answer = await OverUdpAsync(server, query, questionName, type, id, linked.Token);
            if (answer is { } truncated && truncated.Truncated)
            {
                ClientLog.TruncatedRetryingTcp(logger, name, server);
                metrics.TcpFallbacks.Add(1);
                answer = await OverTcpAsync(server, query, questionName, type, id, linked.Token);
            }

            return Interpret(answer);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return UpstreamAnswer.Fail(UpstreamFailure.Timeout);
        }
        catch (SocketException)
        {
            return UpstreamAnswer.Fail(UpstreamFailure.Network);
        }
    }

    private static UpstreamAnswer Interpret(Parsed? parsed)
    {
        if (parsed is not { } reply)
        {
            return UpstreamAnswer.Fail(UpstreamFailure.Malformed);
        }

        // RFC 8767 §5 and RFC 2308: only NOERROR and NXDOMAIN are answers; the rest mean "ask someone else".
        if (reply.Response.Rcode is not (DnsRcode.NoError or DnsRcode.NxDomain) || reply.Response.Truncated)
        {
            return UpstreamAnswer.Fail(reply.Response.Truncated ? UpstreamFailure.Malformed : UpstreamFailure.ErrorRcode);
        }

        return new UpstreamAnswer(UpstreamFailure.None, reply.Response.Rcode, reply.Addresses, reply.Response.AddressTtl, reply.Response.NegativeTtl);
    }

    private static async Task<Parsed?> OverUdpAsync(IPEndPoint server, byte[] query, byte[] questionName, ushort type, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken);
        var buffer = new byte[DnsConstants.TcpLimit];
        while (true)
        {
            // A connected UDP socket sees the port-unreachable ICMP of a stopped server as ConnectionRefused here.
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (Parse(buffer.AsSpan(0, received), questionName, type, id) is { } parsed)
            {
                return parsed;
            }
        }
    }

    private static async Task<Parsed?> OverTcpAsync(IPEndPoint server, byte[] query, byte[] questionName, ushort type, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken);

        // RFC 1035 §4.2.2: a two-octet length, then the message; sent in one write (RFC 7766 §8).
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var prefix = new byte[2];
        var message = Array.Empty<byte>();
        try
        {
            await stream.ReadExactlyAsync(prefix, cancellationToken);
            message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await stream.ReadExactlyAsync(message, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            // The server closed mid-message (RFC 7766 §6.2.4 lets it close idle connections, never half a reply).
            return null;
        }

        return Parse(message, questionName, type, id);
    }

    private static Parsed? Parse(ReadOnlySpan<byte> message, byte[] questionName, ushort type, ushort id)
    {
        var addresses = new List<IPAddress>();
        if (!DnsResponseReader.TryReadStubResponse(message, questionName, type, addresses, out var response) || response.Id != id)
        {
            return null;
        }

        return new Parsed(response, addresses);
    }

    private readonly record struct Parsed(StubResponse Response, List<IPAddress> Addresses)
    {
        public bool Truncated => Response.Truncated;
    }
}
