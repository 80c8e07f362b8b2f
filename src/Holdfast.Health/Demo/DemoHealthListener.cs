using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Holdfast.Health.Demo;

/// <summary>
/// A tiny HTTP/1.1 health endpoint on one address and port, for <c>holdfast up --demo</c> and for tests of
/// the probers against a real socket. Answers every request with <see cref="StatusCode"/> and
/// <see cref="Body"/> (a 3xx carries <c>Location: /</c>), or, when <see cref="Hang"/> is set, accepts and never
/// answers. <see cref="StopAsync"/> closes the listening socket and every open connection, so connects are
/// refused; <see cref="Start"/> binds the same port again. Thread-safe.
/// </summary>
public sealed class DemoHealthListener : IAsyncDisposable
{
    private const int MaxRequestBytes = 8192;
    private static readonly byte[] s_endOfHeaders = "\r\n\r\n"u8.ToArray();

    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;
    private readonly List<Task> _connections = [];
    private volatile int _statusCode = 200;
    private volatile string _body = "ok";
    private volatile bool _hang;
    private long _requests;

    private DemoHealthListener(IPEndPoint endPoint) => EndPoint = endPoint;

    /// <summary>Where it listens. The port stays the same across <see cref="StopAsync"/> and <see cref="Start"/>.</summary>
    public IPEndPoint EndPoint { get; private set; }

    /// <summary>The URL to give a health check: <c>http://ADDRESS:PORT/healthz</c> (any path gets the same answer).</summary>
    public Uri Url => new($"http://{(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{EndPoint.Address}]" : EndPoint.Address.ToString())}:{EndPoint.Port.ToString(CultureInfo.InvariantCulture)}/healthz");

    /// <summary>Whether it is accepting connections.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _listener is not null;
            }
        }
    }

    /// <summary>The status code of every answer, 100 to 599. Default 200.</summary>
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 100);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 599);
            _statusCode = value;
        }
    }

    /// <summary>The body of every answer. Default "ok".</summary>
    public string Body
    {
        get => _body;
        set => _body = value ?? "";
    }

    /// <summary>When true, requests are read and never answered (the connection stays open until stopped): a check times out.</summary>
    public bool Hang
    {
        get => _hang;
        set => _hang = value;
    }

    /// <summary>Requests read (answered or hung) since creation.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> (0 asks the OS for a free port) and starts answering.</summary>
    public static DemoHealthListener Listen(IPAddress address, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(address);
        var listener = new DemoHealthListener(new IPEndPoint(address, port));
        listener.Start();
        return listener;
    }

    /// <summary>Starts answering again on the same port; does nothing when running.</summary>
    /// <exception cref="SocketException">The port cannot be bound (taken by another process meanwhile).</exception>
    public void Start()
    {
        lock (_lock)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new TcpListener(EndPoint);
            // The port was ours a moment ago; let it be bound again while old connections linger in TIME_WAIT.
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            EndPoint = (IPEndPoint)listener.LocalEndpoint;
            _listener = listener;
            _stop = new CancellationTokenSource();
            var stop = _stop.Token;
            _accepting = Task.Run(() => AcceptAsync(listener, stop), CancellationToken.None);
        }
    }

    /// <summary>Stops listening and closes every open connection; connects are refused until <see cref="Start"/>.</summary>
    public async Task StopAsync()
    {
        TcpListener? listener;
        CancellationTokenSource? stop;
        Task? accepting;
        lock (_lock)
        {
            (listener, stop, accepting) = (_listener, _stop, _accepting);
            (_listener, _stop, _accepting) = (null, null, null);
        }

        if (listener is null)
        {
            return;
        }

        await stop!.CancelAsync();
        listener.Stop();
        await accepting!;
        Task[] connections;
        lock (_lock)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        stop.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(socket, stop));
            }
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        using (socket)
        {
            try
            {
                if (!await ReadRequestAsync(socket, stop))
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                if (_hang)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, stop);
                }

                await socket.SendAsync(Response(_statusCode, _body), SocketFlags.None, stop);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped, or the client went away: either way this connection is done.
            }
        }
    }

    // Reads up to the blank line that ends the request head; a request body (none is expected) is ignored.
    private static async Task<bool> ReadRequestAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[MaxRequestBytes];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, stop);
            if (read == 0)
            {
                return false;
            }

            total += read;
            if (buffer.AsSpan(0, total).IndexOf(s_endOfHeaders) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Response(int statusCode, string body)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var location = statusCode is >= 300 and < 400 ? "Location: /\r\n" : "";
        var reason = ReasonPhrase(statusCode);
        var head = $"HTTP/1.1 {statusCode.ToString(CultureInfo.InvariantCulture)} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {content.Length.ToString(CultureInfo.InvariantCulture)}\r\n{location}Connection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. content];
    }

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        200 => "OK",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
