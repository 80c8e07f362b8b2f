using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Wire;

namespace Holdfast.Push;

/// <summary>
/// One exchange per socket: UDP (RFC 1035 §4.2.1; answers with another ID are ignored, they belong to no one here) or
/// TCP with the two-octet length prefix (RFC 1035 §4.2.2, RFC 7766). A socket per exchange keeps concurrent exchanges
/// independent; on loopback and at push rates its cost is small next to the server's own work.
/// </summary>
public sealed class DnsExchange : IDnsExchange
{
    public static DnsExchange Instance { get; } = new();

    public async Task<byte[]> ExchangeAsync(IPEndPoint server, byte[] message, bool overTcp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(message);
        return overTcp ? await TcpAsync(server, message, cancellationToken) : await UdpAsync(server, message, cancellationToken);
    }

    private static async Task<byte[]> UdpAsync(IPEndPoint server, byte[] message, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken);
        await socket.SendAsync(message, SocketFlags.None, cancellationToken);
        var buffer = new byte[DnsConstants.TcpLimit];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (received >= DnsConstants.HeaderLength && buffer[0] == message[0] && buffer[1] == message[1])
            {
                return buffer[..received];
            }
        }
    }

    private static async Task<byte[]> TcpAsync(IPEndPoint server, byte[] message, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken);
        var framed = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellationToken);
        var prefix = new byte[2];
        await ReceiveExactlyAsync(socket, prefix, cancellationToken);
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await ReceiveExactlyAsync(socket, answer, cancellationToken);
        return answer;
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            buffer = buffer[read..];
        }
    }
}
