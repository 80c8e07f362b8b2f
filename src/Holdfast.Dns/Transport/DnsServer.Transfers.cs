using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Transport;

/// <summary>The hand-off of AXFR, IXFR, NOTIFY and signed queries to the <see cref="Transfer.ZoneTransferHandler"/>.</summary>
public sealed partial class DnsServer
{
    private static readonly IPEndPoint s_anyEndPoint = new(IPAddress.Any, 0);

    /// <summary>
    /// True when the transfer handler answers <paramref name="request"/>. Its messages are held to the same strict
    /// reading as queries (DnsQueryReader): a malformed AXFR, IXFR, NOTIFY or signed message stays with the engine,
    /// which answers FORMERR. Only these messages are read twice; ordinary queries are read once, by the engine.
    /// </summary>
    private bool ForTransfers(ReadOnlySpan<byte> request) =>
        _transfers is not null && _transfers.Handles(request) && DnsQueryReader.TryRead(request, out _) != QueryReadStatus.FormErr;

    /// <summary>Sends every message of a transfer-handler answer over UDP (NOTIFY acknowledgements, IXFR's single SOA).</summary>
    private void ServeTransferUdp(Socket socket, ReadOnlyMemory<byte> request, SocketAddress peer)
    {
        var client = ((IPEndPoint)s_anyEndPoint.Create(peer)).Address;
        foreach (var message in _transfers!.Respond(request, client, overUdp: true))
        {
            socket.SendTo(message.Span, SocketFlags.None, peer);
            Interlocked.Increment(ref _answered);
        }
    }

    /// <summary>
    /// Sends every message of the answer, each framed (RFC 7766 §8). The idle timer restarts before each message,
    /// so a long transfer to a reading client is not cut, while a client that stops reading still is.
    /// </summary>
    private async Task ServeTransferTcpAsync(Socket client, ReadOnlyMemory<byte> request, byte[] frame, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        var peer = ((IPEndPoint)client.RemoteEndPoint!).Address;
        foreach (var message in _transfers!.Respond(request, peer, overUdp: false))
        {
            idle.CancelAfter(_options.TcpIdleTimeout);
            frame[0] = (byte)(message.Length >> 8);
            frame[1] = (byte)message.Length;
            message.CopyTo(frame.AsMemory(2));
            await client.SendAsync(frame.AsMemory(0, message.Length + 2), SocketFlags.None, cancellationToken);
            Interlocked.Increment(ref _answered);
        }
    }
}
