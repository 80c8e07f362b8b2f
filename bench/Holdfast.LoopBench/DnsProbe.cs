using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Holdfast.LoopBench;

/// <summary>
/// A minimal DNS client for measuring: asks one A question over UDP and returns the addresses of the answer
/// (empty for NODATA, null for no reply in time). Written out here so the tool measures the server from outside,
/// with nothing of Holdfast's own codec in the path.
/// </summary>
internal sealed class DnsProbe : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[4096];
    private ushort _id;

    public DnsProbe(IPEndPoint server)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(server);
        _id = (ushort)Environment.TickCount;
    }

    public async Task<HashSet<string>?> QueryAsync(string name, TimeSpan timeout)
    {
        var id = ++_id;
        var query = Build(id, name);
        await _socket.SendAsync(query, SocketFlags.None);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
                if (n >= 12 && BinaryPrimitives.ReadUInt16BigEndian(_buffer) == id)
                {
                    return Parse(_buffer.AsSpan(0, n));
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();

    private static byte[] Build(ushort id, string name)
    {
        var bytes = new List<byte>(64);
        bytes.AddRange([(byte)(id >> 8), (byte)id, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, 0, 1, 0, 1]);
        return [.. bytes];
    }

    private static HashSet<string>? Parse(ReadOnlySpan<byte> m)
    {
        if ((m[3] & 0x0F) != 0)
        {
            return []; // NXDOMAIN or another error: no addresses
        }

        var answers = BinaryPrimitives.ReadUInt16BigEndian(m[6..]);
        var at = SkipName(m, 12) + 4;
        var result = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < answers; i++)
        {
            at = SkipName(m, at);
            var type = BinaryPrimitives.ReadUInt16BigEndian(m[at..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(m[(at + 8)..]);
            at += 10;
            if (type == 1 && length == 4)
            {
                result.Add(new IPAddress(m.Slice(at, 4)).ToString());
            }

            at += length;
        }

        return result;
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
