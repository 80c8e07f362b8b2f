using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Demo;
using Holdfast.Health.Observations;
using Holdfast.Health.Probing;

namespace Holdfast.Health.Tests.Probing;

/// <summary>The HTTP prober against real HTTP responders on 127.0.0.1 (port 0).</summary>
public sealed class HttpProberTests : IAsyncLifetime
{
    // Generous for answers (a loaded test machine must not turn a 200 into a timeout); short only where a timeout is the point.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_shortTimeout = TimeSpan.FromMilliseconds(400);
    private readonly HttpProber _prober = new(s_timeout, TimeProvider.System);
    private readonly DemoHealthListener _listener = DemoHealthListener.Listen(IPAddress.Loopback);

    [Theory]
    [InlineData(200, ObservationState.Up, null)]
    [InlineData(204, ObservationState.Up, null)]
    [InlineData(503, ObservationState.Down, "HTTP 503")]
    [InlineData(500, ObservationState.Down, "HTTP 500")]
    [InlineData(302, ObservationState.Unexpected, "HTTP 302")]
    [InlineData(404, ObservationState.Unexpected, "HTTP 404")]
    public async Task Probe_StatusCode_IsClassified(int statusCode, ObservationState state, string? reason)
    {
        _listener.StatusCode = statusCode;

        var result = await _prober.ProbeAsync(Check(_listener.Url), TestContext.Current.CancellationToken);

        result.ShouldBe(new ProbeResult(state, reason));
        _listener.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task Probe_ListenerHangs_IsDownWithTimeoutWithinTheTimeout()
    {
        _listener.Hang = true;
        using var prober = new HttpProber(s_shortTimeout, TimeProvider.System);
        var clock = Stopwatch.StartNew();

        var result = await prober.ProbeAsync(Check(_listener.Url), TestContext.Current.CancellationToken);

        result.ShouldBe(ProbeResult.Down("timeout after 400 ms"));
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(s_shortTimeout - TimeSpan.FromMilliseconds(20));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Probe_ListenerStopped_IsDownConnectionRefused()
    {
        var url = _listener.Url;
        await _listener.StopAsync();

        var result = await _prober.ProbeAsync(Check(url), TestContext.Current.CancellationToken);

        result.ShouldBe(ProbeResult.Down("connection refused"));
    }

    [Fact]
    public async Task Probe_ExpectedBody_MissingIsUnexpectedPresentIsUp()
    {
        _listener.Body = "status: starting";

        (await _prober.ProbeAsync(Check(_listener.Url) with { ExpectBodyContains = "ready" }, TestContext.Current.CancellationToken))
            .ShouldBe(ProbeResult.Unexpected("HTTP 200 body does not contain 'ready'"));
        _listener.Body = "status: ready";
        (await _prober.ProbeAsync(Check(_listener.Url) with { ExpectBodyContains = "ready" }, TestContext.Current.CancellationToken))
            .ShouldBe(ProbeResult.Up);
    }

    [Fact]
    public async Task Probe_EveryCheck_UsesANewConnection()
    {
        using var raw = new CountingListener();

        for (var i = 0; i < 3; i++)
        {
            (await _prober.ProbeAsync(Check(raw.Url), TestContext.Current.CancellationToken)).ShouldBe(ProbeResult.Up);
        }

        raw.Connections.ShouldBe(3);
    }

    [Fact]
    public async Task Probe_ServerClosesWithoutAnswer_IsDown()
    {
        using var raw = new RawListener(_ => []);

        var result = await _prober.ProbeAsync(Check(raw.Url), TestContext.Current.CancellationToken);

        result.State.ShouldBe(ObservationState.Down);
        result.Reason.ShouldBe("connection closed before a response");
    }

    [Fact]
    public async Task Probe_ServerAnswersGarbage_IsUnexpected()
    {
        using var raw = new RawListener(_ => "SSH-2.0-OpenSSH_9.6\r\n\r\n"u8.ToArray());

        var result = await _prober.ProbeAsync(Check(raw.Url), TestContext.Current.CancellationToken);

        result.ShouldBe(ProbeResult.Unexpected("invalid HTTP response"));
    }

    [Fact]
    public async Task Probe_DefaultProxyConfigured_IsNotUsed()
    {
        // A process-wide proxy that leads nowhere: a prober that used it would fail.
        var previous = HttpClient.DefaultProxy;
        HttpClient.DefaultProxy = new WebProxy("http://127.0.0.1:9");
        try
        {
            using var prober = new HttpProber(s_timeout, TimeProvider.System);
            (await prober.ProbeAsync(Check(_listener.Url), TestContext.Current.CancellationToken)).ShouldBe(ProbeResult.Up);
        }
        finally
        {
            HttpClient.DefaultProxy = previous;
        }
    }

    [Fact]
    public async Task Probe_CallerCancels_Throws()
    {
        _listener.Hang = true;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Should.ThrowAsync<OperationCanceledException>(() => _prober.ProbeAsync(Check(_listener.Url), cancel.Token));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _prober.Dispose();
        await _listener.DisposeAsync();
    }

    private static TargetCheck Check(Uri url) => new("api.svc.example.", "t1") { HttpUrl = url };

    /// <summary>A loopback TCP server that answers each connection's first read with fixed bytes (none: just close).</summary>
    private class RawListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _connections;

        public RawListener(Func<int, byte[]> answer)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    var n = Interlocked.Increment(ref _connections);
                    var buffer = new byte[4096];
                    await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    var bytes = answer(n);
                    if (bytes.Length > 0)
                    {
                        await socket.SendAsync(bytes, SocketFlags.None, _stop.Token);
                    }

                    socket.Shutdown(SocketShutdown.Both);
                }
            });
        }

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/healthz");

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }

    private sealed class CountingListener() : RawListener(_ => Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
}
