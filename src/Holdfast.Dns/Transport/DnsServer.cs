using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Query;

namespace Holdfast.Dns.Transport;

/// <summary>
/// DNS over UDP and TCP on one address, answering from a <see cref="QueryEngine"/>. UDP runs several
/// receive loops on one socket, each with its own buffers allocated once at start; TCP follows RFC 7766
/// (two-octet length framing, several queries per connection answered in order, idle timeout, a cap on
/// connections). <see cref="StartAsync"/> binds; <see cref="DisposeAsync"/> stops and waits for the loops.
/// </summary>
public sealed partial class DnsServer : IAsyncDisposable
{
    private readonly QueryEngine _engine;
    private readonly DnsServerOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private Socket? _udp;
    private Socket? _tcp;
    private int _tcpConnections;
    private long _answered;

    public DnsServer(QueryEngine engine, DnsServerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _engine = engine;
        _options = options;
        _time = time;
    }

    /// <summary>The bound UDP address (with the real port when port 0 was asked for).</summary>
    public IPEndPoint UdpEndPoint => (IPEndPoint)(_udp?.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    /// <summary>The bound TCP address.</summary>
    public IPEndPoint TcpEndPoint => (IPEndPoint)(_tcp?.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    /// <summary>Responses sent since start, both transports.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Raised when a loop stops on a fatal socket error (the host decides what to do).</summary>
    public event Action<string, SocketException>? LoopFailed;

    public Task StartAsync()
    {
        var family = _options.Listen.AddressFamily;
        _udp = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _udp.Bind(_options.Listen);

        // TCP on the same port as UDP: take UDP's port when 0 was asked for.
        _tcp = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        _tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _tcp.Bind(new IPEndPoint(_options.Listen.Address, UdpEndPoint.Port));
        _tcp.Listen(512);
        for (var i = 0; i < _options.UdpLoops; i++)
        {
            _loops.Add(Task.Run(() => UdpLoopAsync(_stop.Token)));
        }

        _loops.Add(Task.Run(() => AcceptLoopAsync(_stop.Token)));
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp?.Dispose();
        _tcp?.Dispose();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected end of every loop.
        }

        _stop.Dispose();
    }

    private async Task UdpLoopAsync(CancellationToken cancellationToken)
    {
        // Owned by this loop for its whole life: no allocation per datagram.
        var request = new byte[65535];
        var response = new byte[65535];
        var peer = new SocketAddress(_udp!.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _udp.ReceiveFromAsync(request, SocketFlags.None, peer, cancellationToken);
            }
            catch (SocketException ex)
            {
                if (!await HandleAsync("udp", ex, cancellationToken))
                {
                    return;
                }

                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            var started = _time.GetTimestamp();
            var length = _engine.Answer(request.AsSpan(0, received), response, overUdp: true);
            if (length == 0)
            {
                continue;
            }

            _options.Observer?.Answered(request.AsSpan(0, received), response.AsSpan(0, length), _time.GetElapsedTime(started));

            try
            {
                await _udp.SendToAsync(response.AsMemory(0, length), SocketFlags.None, peer, cancellationToken);
                Interlocked.Increment(ref _answered);
            }
            catch (SocketException ex)
            {
                if (!await HandleAsync("udp", ex, cancellationToken))
                {
                    return;
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp!.AcceptAsync(cancellationToken);
            }
            catch (SocketException ex)
            {
                if (!await HandleAsync("tcp-accept", ex, cancellationToken))
                {
                    return;
                }

                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (Interlocked.Increment(ref _tcpConnections) > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _tcpConnections);
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeConnectionAsync(client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeConnectionAsync(Socket client, CancellationToken cancellationToken)
    {
        var request = new byte[65535];
        var response = new byte[65537];
        try
        {
            using (client)
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    // RFC 7766 §6.2.3: a connection idle for the timeout is closed; a client that stalls
                    // mid-message is closed the same way, so slow clients cannot hold a slot forever.
                    using var idle = new CancellationTokenSource(_options.TcpIdleTimeout, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
                    if (!await ReadExactlyAsync(client, request.AsMemory(0, 2), linked.Token))
                    {
                        return;
                    }

                    var length = (request[0] << 8) | request[1];
                    if (length < 12 || !await ReadExactlyAsync(client, request.AsMemory(0, length), linked.Token))
                    {
                        return;
                    }

                    var started = _time.GetTimestamp();
                    var answer = _engine.Answer(request.AsSpan(0, length), response.AsSpan(2), overUdp: false);
                    if (answer == 0)
                    {
                        return;
                    }

                    _options.Observer?.Answered(request.AsSpan(0, length), response.AsSpan(2, answer), _time.GetElapsedTime(started));

                    response[0] = (byte)(answer >> 8);
                    response[1] = (byte)answer;
                    await client.SendAsync(response.AsMemory(0, answer + 2), SocketFlags.None, linked.Token);
                    Interlocked.Increment(ref _answered);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Idle timeout or server stop: the connection ends.
        }
        catch (SocketException)
        {
            // The peer went away; nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _tcpConnections);
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <returns>False when the loop must stop.</returns>
    private async Task<bool> HandleAsync(string loop, SocketException ex, CancellationToken cancellationToken)
    {
        switch (SocketErrors.Classify(ex.SocketErrorCode))
        {
            case SocketErrorKind.Continue:
                return true;
            case SocketErrorKind.BackOff:
                await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken);
                return true;
            default:
                if (!cancellationToken.IsCancellationRequested)
                {
                    LoopFailed?.Invoke(loop, ex);
                }

                return false;
        }
    }
}
