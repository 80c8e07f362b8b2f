using System.Net;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Demo;
using Holdfast.Health.Probing;

namespace Holdfast.Health.Tests.Demo;

public sealed class DemoHealthListenersTests
{
    [Fact]
    public async Task Start_Several_EachOnItsOwnLoopbackPortAndStoppableOnItsOwn()
    {
        await using var listeners = DemoHealthListeners.Start(3);
        using var prober = new HttpProber(TimeSpan.FromSeconds(2), TimeProvider.System);
        var ct = TestContext.Current.CancellationToken;

        listeners.Count.ShouldBe(3);
        listeners.Listeners.Select(l => l.EndPoint.Port).Distinct().Count().ShouldBe(3);
        listeners.Listeners.ShouldAllBe(l => IPAddress.IsLoopback(l.EndPoint.Address) && l.IsRunning);

        var port = listeners[1].EndPoint.Port;
        await listeners[1].StopAsync();
        listeners[1].IsRunning.ShouldBeFalse();
        (await prober.ProbeAsync(Check(listeners[0].Url), ct)).ShouldBe(ProbeResult.Up);
        (await prober.ProbeAsync(Check(listeners[1].Url), ct)).ShouldBe(ProbeResult.Down("connection refused"));
        (await prober.ProbeAsync(Check(listeners[2].Url), ct)).ShouldBe(ProbeResult.Up);

        listeners[1].Start();
        listeners[1].EndPoint.Port.ShouldBe(port);
        (await prober.ProbeAsync(Check(listeners[1].Url), ct)).ShouldBe(ProbeResult.Up);
    }

    [Fact]
    public async Task Stop_WhileAConnectionHangs_ClosesIt()
    {
        await using var listener = DemoHealthListener.Listen(IPAddress.Loopback);
        listener.Hang = true;
        using var prober = new HttpProber(TimeSpan.FromSeconds(10), TimeProvider.System);
        var probe = prober.ProbeAsync(Check(listener.Url), TestContext.Current.CancellationToken);
        while (listener.Requests == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await listener.StopAsync();

        var result = await probe.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        result.State.ShouldBe(Observations.ObservationState.Down);
    }

    [Fact]
    public async Task StatusCode_OutOfRange_Throws()
    {
        await using var listener = DemoHealthListener.Listen(IPAddress.Loopback);

        Should.Throw<ArgumentOutOfRangeException>(() => listener.StatusCode = 99);
        Should.Throw<ArgumentOutOfRangeException>(() => listener.StatusCode = 600);
        listener.StatusCode.ShouldBe(200);
    }

    private static TargetCheck Check(Uri url) => new("demo.svc.example.", "t") { HttpUrl = url };
}
