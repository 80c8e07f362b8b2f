using System.Net;
using System.Net.Sockets;
using Holdfast.Testing.Chaos;

namespace Holdfast.LoopBench;

/// <summary>
/// A minimal DNS client for measuring: asks one A question over UDP and returns the addresses of the answer
/// (empty for NODATA, null for no reply in time). The wire handling is the test kit's outside client
/// (<see cref="ChaosProbe"/>), so the tool measures the server with nothing of Holdfast's own codec in the path.
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
                if (ChaosProbe.IsResponseTo(query, _buffer.AsSpan(0, n)))
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

    private static byte[] Build(ushort id, string name) => ChaosProbe.Build(id, name, 1);

    // NXDOMAIN or another error: no addresses.
    private static HashSet<string> Parse(ReadOnlySpan<byte> m) =>
        ChaosProbe.Parse(m) is { Rcode: 0 } answer ? [.. answer.Addresses] : [];
}
