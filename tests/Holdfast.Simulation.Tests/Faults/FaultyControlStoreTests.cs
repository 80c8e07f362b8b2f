using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Simulation.Faults;
using Holdfast.Simulation.Scheduling;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Simulation.Tests.Faults;

public sealed class FaultyControlStoreTests
{
    [Fact]
    public async Task WritePlan_FailAfterCommit_ThrowsButThePlanIsStored()
    {
        var inner = await Plans.SeededAsync(new InMemoryControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        var mutations = 0;
        var faulty = new FaultyControlStore(inner, new ComponentFaults("planner") { FailAfterCommit = 1 }, new FakeTimeProvider(TestTime.IncidentStart), new Random(1), () => mutations++);

        var error = await Should.ThrowAsync<StoreFaultException>(() => faulty.WritePlanAsync(Plans.Of(1, 0, 1)));

        error.Committed.ShouldBeTrue();
        (await inner.GetPlanAsync(Plans.Endpoint, new Generation(1))).ShouldNotBeNull();
        mutations.ShouldBe(1);
    }

    [Fact]
    public async Task WritePlan_FailBeforeCommit_ThrowsAndNothingIsStored()
    {
        var inner = await Plans.SeededAsync(new InMemoryControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        var faulty = new FaultyControlStore(inner, new ComponentFaults("planner") { FailBeforeCommit = 1 }, new FakeTimeProvider(TestTime.IncidentStart), new Random(1));

        var error = await Should.ThrowAsync<StoreFaultException>(() => faulty.WritePlanAsync(Plans.Of(1, 0, 1)));

        error.Committed.ShouldBeFalse();
        (await inner.ListPlansAsync(Plans.Endpoint)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Reads_FailureProbabilities_OnlyAffectMutations()
    {
        var inner = await Plans.SeededAsync(new InMemoryControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        await inner.WritePlanAsync(Plans.Of(1, 0));
        var faulty = new FaultyControlStore(inner, new ComponentFaults("az1") { FailBeforeCommit = 1, FailAfterCommit = 1 }, new FakeTimeProvider(TestTime.IncidentStart), new Random(1));

        (await faulty.ListPlansAsync(Plans.Endpoint)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Apply_CutOff_FailsAfterTheTimeoutOnVirtualTimeAndChangesNothing()
    {
        var scheduler = new SimulationScheduler(new DateTimeOffset(2025, 10, 20, 0, 0, 0, TimeSpan.Zero));
        var time = new SimulatedTimeProvider(scheduler);
        var inner = await Plans.SeededAsync(new InMemoryControlStore(time));
        await inner.WritePlanAsync(Plans.Of(1, 0));
        var faulty = new FaultyControlStore(inner, new ComponentFaults("az1") { CutOff = true }, time, new Random(1));
        TimeSpan? failedAt = null;
        async Task Apply()
        {
            try
            {
                await faulty.ConditionalApplyAsync(Plans.Endpoint, new Generation(1), "az1");
            }
            catch (StoreFaultException)
            {
                failedAt = scheduler.Elapsed;
            }
        }

        scheduler.Post(() => _ = Apply());
        scheduler.RunUntil(scheduler.Start + TimeSpan.FromSeconds(10));

        failedAt.ShouldBe(FaultyControlStore.CutOffTimeout);
        (await inner.GetAppliedAsync(Plans.Endpoint)).ShouldBeNull();
    }

    [Fact]
    public async Task Apply_HeldUntilGateOpens_CommitsOnlyAfterTheGate()
    {
        var scheduler = new SimulationScheduler(new DateTimeOffset(2025, 10, 20, 0, 0, 0, TimeSpan.Zero));
        var time = new SimulatedTimeProvider(scheduler);
        var inner = await Plans.SeededAsync(new InMemoryControlStore(time));
        await inner.WritePlanAsync(Plans.Of(1, 0));
        var gate = new TaskCompletionSource();
        var faults = new ComponentFaults("az1") { HoldNextApply = gate.Task };
        var faulty = new FaultyControlStore(inner, faults, time, new Random(1));
        Generation? stalled = null;
        scheduler.Post(() => _ = faulty.ConditionalApplyAsync(Plans.Endpoint, new Generation(1), "az1"));
        scheduler.Schedule(TimeSpan.FromSeconds(30), () => stalled = faults.Stalled);
        scheduler.Schedule(TimeSpan.FromSeconds(60), gate.SetResult);

        scheduler.RunUntil(scheduler.Start + TimeSpan.FromSeconds(59));
        var before = await inner.GetAppliedAsync(Plans.Endpoint);
        scheduler.RunUntil(scheduler.Start + TimeSpan.FromSeconds(61));

        stalled.ShouldBe(new Generation(1));
        before.ShouldBeNull();
        (await inner.GetAppliedAsync(Plans.Endpoint))!.Generation.ShouldBe(new Generation(1));
        faults.Stalled.ShouldBeNull();
    }
}
