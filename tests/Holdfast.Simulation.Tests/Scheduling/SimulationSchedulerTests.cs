using Holdfast.Simulation.Scheduling;

namespace Holdfast.Simulation.Tests.Scheduling;

public sealed class SimulationSchedulerTests
{
    private static readonly DateTimeOffset s_start = new(2025, 10, 19, 23, 48, 0, TimeSpan.Zero);

    [Fact]
    public void RunUntil_TimersAtDifferentTimes_FireInDueOrderAtTheirVirtualTimes()
    {
        var scheduler = new SimulationScheduler(s_start);
        var fired = new List<(string, TimeSpan)>();
        scheduler.Schedule(TimeSpan.FromSeconds(3), () => fired.Add(("c", scheduler.Elapsed)));
        scheduler.Schedule(TimeSpan.FromSeconds(1), () => fired.Add(("a", scheduler.Elapsed)));
        scheduler.Schedule(TimeSpan.FromSeconds(1), () => fired.Add(("b", scheduler.Elapsed)));

        scheduler.RunUntil(s_start + TimeSpan.FromSeconds(10));

        fired.ShouldBe([("a", TimeSpan.FromSeconds(1)), ("b", TimeSpan.FromSeconds(1)), ("c", TimeSpan.FromSeconds(3))]);
        scheduler.Now.ShouldBe(s_start + TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void RunUntil_TaskDelayOnSimulatedTime_ResumesOnTheSchedulerThreadAtVirtualTime()
    {
        var scheduler = new SimulationScheduler(s_start);
        var time = new SimulatedTimeProvider(scheduler);
        var thread = Environment.CurrentManagedThreadId;
        var observed = new List<(TimeSpan, int)>();
        async Task Worker()
        {
            for (var i = 0; i < 3; i++)
            {
                await Task.Delay(TimeSpan.FromHours(1), time);
                observed.Add((scheduler.Elapsed, Environment.CurrentManagedThreadId));
            }
        }

        scheduler.Post(() => _ = Worker());
        scheduler.RunUntil(s_start + TimeSpan.FromHours(5));

        observed.Select(o => o.Item1).ShouldBe([TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3)]);
        observed.ShouldAllBe(o => o.Item2 == thread);
        scheduler.EscapedWork.ShouldBe(0);
    }

    [Fact]
    public void CreateTimer_Periodic_TicksEveryPeriodUntilDisposed()
    {
        var scheduler = new SimulationScheduler(s_start);
        var time = new SimulatedTimeProvider(scheduler);
        var ticks = new List<TimeSpan>();
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            ticks.Add(scheduler.Elapsed);
            if (ticks.Count == 3)
            {
                timer!.Dispose();
            }
        }, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));

        scheduler.RunUntil(s_start + TimeSpan.FromMinutes(1));

        ticks.ShouldBe([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(12)]);
    }

    [Fact]
    public void RunUntil_CancelledDelay_ThrowsIntoTheAwaiterAndLeavesNoTick()
    {
        var scheduler = new SimulationScheduler(s_start);
        var time = new SimulatedTimeProvider(scheduler);
        using var cancel = new CancellationTokenSource();
        var outcome = "none";
        async Task Worker()
        {
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(5), time, cancel.Token);
                outcome = "completed";
            }
            catch (OperationCanceledException)
            {
                outcome = "cancelled at " + scheduler.Elapsed.TotalSeconds;
            }
        }

        scheduler.Post(() => _ = Worker());
        scheduler.Schedule(TimeSpan.FromSeconds(30), cancel.Cancel);
        scheduler.RunUntil(s_start + TimeSpan.FromMinutes(10));

        outcome.ShouldBe("cancelled at 30");
    }

    [Fact]
    public void Post_FromAnotherThread_IsCountedAsEscapedWork()
    {
        var scheduler = new SimulationScheduler(s_start);
        scheduler.Schedule(TimeSpan.FromSeconds(1), () => Task.Run(() => scheduler.Post(() => { })).Wait(TestContext.Current.CancellationToken));

        scheduler.RunUntil(s_start + TimeSpan.FromSeconds(2));

        scheduler.EscapedWork.ShouldBe(1);
    }

    [Fact]
    public void SkewedTimeProvider_Skew_ShiftsWallClockButNotTimers()
    {
        var scheduler = new SimulationScheduler(s_start);
        var skewed = new SkewedTimeProvider(new SimulatedTimeProvider(scheduler), TimeSpan.FromMinutes(-2));
        var firedAt = TimeSpan.Zero;
        skewed.CreateTimer(_ => firedAt = scheduler.Elapsed, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        scheduler.RunUntil(s_start + TimeSpan.FromSeconds(20));

        skewed.GetUtcNow().ShouldBe(s_start + TimeSpan.FromSeconds(20) - TimeSpan.FromMinutes(2));
        firedAt.ShouldBe(TimeSpan.FromSeconds(10));
    }
}
