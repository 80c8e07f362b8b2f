using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Probing;

namespace Holdfast.Health.Tests.Probing;

/// <summary>The TCP prober against real sockets on 127.0.0.1.</summary>
public sealed class TcpProberTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_shortTimeout = TimeSpan.FromMilliseconds(400);
    private readonly TcpProber _prober = new(s_timeout, TimeProvider.System);

    [Fact]
    public async Task Probe_Listening_IsUp()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var result = await _prober.ProbeAsync(Check((IPEndPoint)listener.LocalEndpoint), TestContext.Current.CancellationToken);

            result.ShouldBe(ProbeResult.Up);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Probe_NothingListening_IsDownConnectionRefused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();

        var result = await _prober.ProbeAsync(Check(endPoint), TestContext.Current.CancellationToken);

        result.ShouldBe(ProbeResult.Down("connection refused"));
    }

    [Fact]
    public async Task Probe_AcceptQueueFull_IsDownWithTimeout()
    {
        // Linux drops a SYN when a listener's accept queue is full, so the connect hangs: a real timeout on loopback.
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen(0);
        var endPoint = (IPEndPoint)server.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    await filler.ConnectAsync(endPoint, attempt.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the queue is full
                }
            }

            var prober = new TcpProber(s_shortTimeout, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var result = await prober.ProbeAsync(Check(endPoint), TestContext.Current.CancellationToken);

            result.ShouldBe(ProbeResult.Down("timeout after 400 ms"));
            clock.Elapsed.ShouldBeGreaterThanOrEqualTo(s_shortTimeout - TimeSpan.FromMilliseconds(20));
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task Probe_NoTcpEndpoint_ThrowsNamingTheTarget()
    {
        var ex = await Should.ThrowAsync<ArgumentException>(() => _prober.ProbeAsync(new TargetCheck("api.svc.example.", "t1"), TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("api.svc.example./t1");
    }

    private static TargetCheck Check(IPEndPoint endPoint) => new("api.svc.example.", "t1") { TcpEndpoint = endPoint };
}
