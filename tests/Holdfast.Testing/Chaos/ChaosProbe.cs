using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Holdfast.Testing.Chaos;

/// <summary>
/// A minimal DNS client for the chaos prober: one question over UDP, the RCODE, the A addresses and (for SOA) the
/// serial. Written out here so the run judges the servers from outside, with nothing of Holdfast's codec in the path.
/// </summary>
public static class ChaosProbe
{
    public sealed record Answer(int Rcode, IReadOnlyList<string> Addresses, uint? Serial, byte[] Raw)
    {
        /// <summary>The header flags and section counts, for a report: what kind of empty answer it was.</summary>
        public string Describe() =>
            $"flags 0x{BinaryPrimitives.ReadUInt16BigEndian(Raw.AsSpan(2)):x4} (TC={(Raw[2] >> 1) & 1}, AA={(Raw[2] >> 2) & 1}) counts {BinaryPrimitives.ReadUInt16BigEndian(Raw.AsSpan(4))}/{BinaryPrimitives.ReadUInt16BigEndian(Raw.AsSpan(6))}/{BinaryPrimitives.ReadUInt16BigEndian(Raw.AsSpan(8))}/{BinaryPrimitives.ReadUInt16BigEndian(Raw.AsSpan(10))} bytes {Convert.ToHexString(Raw)}";
    }

    /// <summary>The answer, or null when none came within <paramref name="timeout"/>.</summary>
    public static async Task<Answer?> QueryAsync(int port, string name, ushort type, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var id = (ushort)Random.Shared.Next(0, 65536);
        try
        {
            BindBelowEphemeralRange(socket);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            var query = Build(id, name, type);
            await socket.SendAsync(query, SocketFlags.None);
            using var deadline = new CancellationTokenSource(timeout);
            var buffer = new byte[4096];
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (IsResponseTo(query, buffer.AsSpan(0, n)))
                {
                    return Parse(buffer.AsSpan(0, n));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// Binds the prober's socket to a port below the kernel's ephemeral range. The nodes' ports come from that range
    /// (free ports the kernel handed out), and while a node is down its port is free: a socket left to the kernel could be
    /// given that very port, be connected to itself, and hold the port so that the restarted node cannot bind it ("Address
    /// already in use"). Ports below the range are never handed out as free ports, so they never collide with a node's.
    /// </summary>
    private static void BindBelowEphemeralRange(Socket socket)
    {
        var low = EphemeralLow.Value;
        if (low < 12_000)
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, Random.Shared.Next(low - 10_000, low - 1_000)));
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 50)
            {
                // Taken by someone else: another one.
            }
        }
    }

    private static readonly Lazy<int> EphemeralLow = new(() =>
    {
        const string path = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], out var low) ? low : 0;
    });

    /// <summary>
    /// True for a response (QR=1, RFC 1035 §4.1.1) with the query's ID and question. While a node is down its port is
    /// free, and a socket given that very port by the kernel is connected to itself and reads back its own query (QR=0,
    /// no answers; <see cref="BindBelowEphemeralRange"/> now prevents it). That is no answer at all, not an empty one.
    /// </summary>
    public static bool IsResponseTo(ReadOnlySpan<byte> query, ReadOnlySpan<byte> message) =>
        message.Length >= query.Length
        && message[..2].SequenceEqual(query[..2])
        && (message[2] & 0x80) != 0
        && BinaryPrimitives.ReadUInt16BigEndian(message[4..]) == 1
        && message[12..query.Length].SequenceEqual(query[12..]);

    public static byte[] Build(ushort id, string name, ushort type)
    {
        var bytes = new List<byte>(64);
        bytes.AddRange([(byte)(id >> 8), (byte)id, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return [.. bytes];
    }

    public static Answer Parse(ReadOnlySpan<byte> m)
    {
        var rcode = m[3] & 0x0F;
        var answers = BinaryPrimitives.ReadUInt16BigEndian(m[6..]);
        var at = SkipName(m, 12) + 4;
        var addresses = new List<string>();
        uint? serial = null;
        for (var i = 0; i < answers; i++)
        {
            at = SkipName(m, at);
            var type = BinaryPrimitives.ReadUInt16BigEndian(m[at..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(m[(at + 8)..]);
            at += 10;
            if (type == 1 && length == 4)
            {
                addresses.Add(new IPAddress(m.Slice(at, 4)).ToString());
            }
            else if (type == 6)
            {
                // SOA RDATA: MNAME, RNAME, then SERIAL (RFC 1035 §3.3.13).
                var serialAt = SkipName(m, SkipName(m, at));
                serial = BinaryPrimitives.ReadUInt32BigEndian(m[serialAt..]);
            }

            at += length;
        }

        addresses.Sort(StringComparer.Ordinal);
        return new Answer(rcode, addresses, serial, m.ToArray());
    }

    private static int SkipName(ReadOnlySpan<byte> m, int at)
    {
        while (true)
        {
            var length = m[at];
            if (length == 0)
            {
                return at + 1;
            }

            if ((length & 0xC0) == 0xC0)
            {
                return at + 2;
            }

            at += 1 + length;
        }
    }
}
