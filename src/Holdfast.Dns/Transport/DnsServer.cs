using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;

namespace Holdfast.Dns.Transport;

/// <summary>
/// DNS over UDP and TCP on one address, answering from a <see cref="QueryEngine"/>. UDP runs one receive
/// thread per core, each on its own SO_REUSEPORT socket with buffers allocated once at start; TCP follows RFC 7766
/// (two-octet length framing, several queries per connection answered in order, idle timeout, a cap on
/// connections). <see cref="StartAsync"/> binds; <see cref="DisposeAsync"/> stops and waits for the loops.
/// </summary>
public sealed partial class DnsServer : IAsyncDisposable
{
    private readonly QueryEngine _engine;
    private readonly ZoneTransferHandler? _transfers;
    private readonly DnsServerOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private const int SolSocket = 1;   // SOL_SOCKET on Linux
    private const int SoReusePort = 15; // SO_REUSEPORT on Linux
    private const int UdpReceiveBufferBytes = 4 << 20;
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BackOffDelay = TimeSpan.FromMilliseconds(10);
    private static readonly bool s_reusePort = OperatingSystem.IsLinux();
    private static readonly byte[] s_one = BitConverter.GetBytes(1);
    private readonly List<Socket> _udpSockets = [];
    private Socket? _udp;
    private Socket? _tcp;
    private int _tcpConnections;
    private long _answered;

    /// <param name="transfers">Serves AXFR, IXFR, NOTIFY and TSIG-signed queries; null answers them from the engine (REFUSED, NOTIMP).</param>
    public DnsServer(QueryEngine engine, DnsServerOptions options, TimeProvider time, ZoneTransferHandler? transfers = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _engine = engine;
        _options = options;
        _time = time;
        _transfers = transfers;
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
        // With port 0 the kernel picks UDP's port, and TCP must take the same number: that port may already
        // be held by some TCP socket, so pick again (bounded) rather than fail. A fixed port fails at once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                BindSockets();
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && _options.Listen.Port == 0 && attempt < 20)
            {
                CloseSockets();
            }
        }

        for (var i = 0; i < _options.UdpLoops; i++)
        {
            var socket = _udpSockets[i % _udpSockets.Count];
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() => UdpWorker(socket, done, _stop.Token)) { IsBackground = true, Name = $"holdfast-dns-udp-{i}" };
            thread.Start();
            _loops.Add(done.Task);
        }

        _loops.Add(Task.Run(() => AcceptLoopAsync(_stop.Token)));
        return Task.CompletedTask;
    }

    private void CloseSockets()
    {
        foreach (var socket in _udpSockets)
        {
            socket.Dispose();
        }

        _udpSockets.Clear();
        _tcp?.Dispose();
        _tcp = null;
    }

    private void BindSockets()
    {
        var family = _options.Listen.AddressFamily;
        _udp = NewUdpSocket(family);
        _udpSockets.Add(_udp);
        _udp.Bind(_options.Listen);

        // One socket per receive thread, all bound to the same address with SO_REUSEPORT: the kernel spreads
        // datagrams across them by flow hash, so the threads never contend for one receive queue (what Knot
        // and NSD do with reuseport). Where SO_REUSEPORT is missing, the threads share the first socket.
        for (var i = 1; i < _options.UdpLoops && s_reusePort; i++)
        {
            var socket = NewUdpSocket(family);
            socket.Bind(UdpEndPoint);
            _udpSockets.Add(socket);
        }

        // TCP on the same port as UDP: take UDP's port when 0 was asked for.
        _tcp = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        _tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _tcp.Bind(new IPEndPoint(_options.Listen.Address, UdpEndPoint.Port));
        _tcp.Listen(512);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _udpSockets)
        {
            socket.Dispose();
        }

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

    private static Socket NewUdpSocket(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp)
        {
            // A burst larger than the default queue (~200 KiB) would be dropped by the kernel before a
            // thread gets the core back; the kernel caps this at net.core.rmem_max.
            ReceiveBufferSize = UdpReceiveBufferBytes,
            // Blocking receives wake at least this often to see a stop request.
            ReceiveTimeout = (int)StopCheckInterval.TotalMilliseconds,
        };
        if (s_reusePort)
        {
            socket.SetRawSocketOption(SolSocket, SoReusePort, s_one);
        }

        return socket;
    }

    /// <summary>
    /// One receive thread: blocking receive, answer, blocking send, with buffers owned for the thread's life,
    /// so a query costs two system calls and no allocation. A dedicated thread rather than async I/O: the
    /// async path hands every datagram from the epoll thread to the thread pool, which costs more than the
    /// answer itself at these rates.
    /// </summary>
    private void UdpWorker(Socket socket, TaskCompletionSource done, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsLinux() && _options.BatchedUdp && BatchedUdpWorker(socket, cancellationToken))
        {
            done.TrySetResult();
            return;
        }

        var request = new byte[65535];
        var response = new byte[65535];
        var peer = new SocketAddress(socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                int received;
                try
                {
                    received = socket.ReceiveFrom(request, SocketFlags.None, peer);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
                {
                    continue;
                }

                if (ForTransfers(request.AsSpan(0, received)))
                {
                    ServeTransferUdp(socket, request.AsMemory(0, received), peer);
                    continue;
                }

                var started = _time.GetTimestamp();
                var address = ClientAddress(peer.Buffer.Span);
                var length = _engine.Answer(request.AsSpan(0, received), response, overUdp: true, address, out var outcome);
                if (length > 0)
                {
                    _options.Observer?.Answered(outcome, _time.GetElapsedTime(started));
                }

                length = RateLimit(address, response, length, outcome);
                if (length > 0)
                {
                    socket.SendTo(response.AsSpan(0, length), SocketFlags.None, peer);
                    Interlocked.Increment(ref _answered);
                }
            }
            catch (SocketException ex)
            {
                if (!Handle("udp", ex, cancellationToken))
                {
                    break;
                }
            }
            catch (ObjectDisposedException)
            {
                // The socket was closed by DisposeAsync.
                break;
            }
        }

        done.TrySetResult();
    }

    /// <summary>
    /// The address octets of a Linux <c>sockaddr</c>: after family and port, 4 octets for AF_INET (2), or for
    /// AF_INET6 (10) 16 octets after the flow label. Empty for anything else.
    /// </summary>
    private static ReadOnlySpan<byte> ClientAddress(ReadOnlySpan<byte> sockaddr) =>
        sockaddr.Length >= 8 && sockaddr[0] == 2 ? sockaddr[4..8]
        : sockaddr.Length >= 24 && sockaddr[0] == 10 ? sockaddr[8..24]
        : default;

    /// <summary>
    /// Applies response rate limiting to a UDP answer of <paramref name="length"/> octets: the same length, the slipped
    /// (TC=1) length, or 0 to drop it. The observer still counts a limited query: the engine answered it.
    /// </summary>
    private int RateLimit(ReadOnlySpan<byte> address, Span<byte> response, int length, in QueryOutcome outcome)
    {
        if (length == 0 || _options.RateLimiter is not { } limiter)
        {
            return length;
        }

        return limiter.Decide(address, ResponseRateLimiter.KindOf(response), outcome.Zone?.Apex, outcome.ValidServerCookie) switch
        {
            RateLimitDecision.Drop => 0,
            RateLimitDecision.Slip => ResponseRateLimiter.Slip(response, length),
            _ => length,
        };
    }

    /// <summary>The synchronous twin of <see cref="HandleAsync"/> for the UDP threads.</summary>
    private bool Handle(string loop, SocketException ex, CancellationToken cancellationToken)
    {
        switch (SocketErrors.Classify(ex.SocketErrorCode))
        {
            case SocketErrorKind.Continue:
                return !cancellationToken.IsCancellationRequested;
            case SocketErrorKind.BackOff:
                cancellationToken.WaitHandle.WaitOne(BackOffDelay);
                return !cancellationToken.IsCancellationRequested;
            default:
                if (!cancellationToken.IsCancellationRequested)
                {
                    LoopFailed?.Invoke(loop, ex);
                }

                return false;
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
        var clientAddress = (client.RemoteEndPoint as IPEndPoint)?.Address.GetAddressBytes() ?? [];
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

                    if (ForTransfers(request.AsSpan(0, length)))
                    {
                        await ServeTransferTcpAsync(client, request.AsMemory(0, length), response, idle, linked.Token);
                        continue;
                    }

                    var started = _time.GetTimestamp();
                    var answer = _engine.Answer(request.AsSpan(0, length), response.AsSpan(2), overUdp: false, clientAddress, out var outcome);
                    if (answer == 0)
                    {
                        return;
                    }

                    _options.Observer?.Answered(outcome, _time.GetElapsedTime(started));

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
                await Task.Delay(BackOffDelay, _time, cancellationToken);
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
