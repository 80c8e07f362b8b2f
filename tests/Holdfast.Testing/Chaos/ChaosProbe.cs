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
    public sealed record Answer(int Rcode, IReadOnlyList<string> Addresses, uint? Serial);

    /// <summary>The answer, or null when none came within <paramref name="timeout"/>.</summary>
    public static async Task<Answer?> QueryAsync(int port, string name, ushort type, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var id = (ushort)Random.Shared.Next(0, 65536);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            await socket.SendAsync(Build(id, name, type), SocketFlags.None);
            using var deadline = new CancellationTokenSource(timeout);
            var buffer = new byte[4096];
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (n >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
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
        return new Answer(rcode, addresses, serial);
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
