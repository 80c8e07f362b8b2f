using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Simulation.Invariants;
using Holdfast.Simulation.Legacy;
using Holdfast.Simulation.World;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Simulation.Tests.Invariants;

public sealed class InvariantCheckerTests
{
    private static readonly IReadOnlyList<EndpointSpec> s_specs = [Plans.Spec()];

    // Clients resolve through the real query engine; the legacy world's server has no last-good-answer rule.
    private static InvariantChecker Checker(IControlStore store) =>
        new(store, new DnsAnswerSource(store, new FakeTimeProvider(TestTime.IncidentStart), new Random(1), lastGoodAnswerRule: store is not LegacyControlStore), () => s_specs, keep: 2, () => TimeSpan.Zero, () => 0);

    [Fact]
    public async Task Check_LiveGenerationGoesBack_RecordsI2()
    {
        var store = await Plans.SeededAsync(new LegacyControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        var checker = Checker(store);
        await store.WritePlanAsync(Plans.Of(1, 0, 1, 2));
        await store.WritePlanAsync(Plans.Of(2, 0, 1, 2));
        await store.ApplyPlanAsync(Plans.Of(2, 0, 1, 2), "az2");
        checker.MarkDirty();
        checker.CheckIfDirty();

        await store.ApplyPlanAsync(Plans.Of(1, 0, 1, 2), "az1");
        checker.MarkDirty();
        checker.CheckIfDirty();

        checker.Violations.Select(v => v.Invariant).ShouldBe([InvariantNames.Monotonic]);
    }

    [Fact]
    public async Task Check_LivePlanDeletedWithItsRecords_RecordsI1AndI3()
    {
        var store = await Plans.SeededAsync(new LegacyControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        var checker = Checker(store);
        await store.WritePlanAsync(Plans.Of(1, 0, 1, 2));
        await store.WritePlanAsync(Plans.Of(2, 0, 1, 2));
        await store.ApplyPlanAsync(Plans.Of(1, 0, 1, 2), "az1");
        checker.MarkDirty();
        checker.CheckIfDirty();

        await store.DeletePlansBelowAsync(Plans.Endpoint, new Generation(2));
        checker.MarkDirty();
        checker.CheckIfDirty();

        checker.EmptyAnswerObserved.ShouldBeTrue();
        checker.Violations.Select(v => v.Invariant).ShouldBe([InvariantNames.LivePlansSurvive, InvariantNames.NeverEmpty, InvariantNames.LivePlansSurvive], ignoreOrder: true);
    }

    [Fact]
    public async Task Check_SafeCleanupBelowApplied_RecordsNothing()
    {
        var store = new InMemoryControlStore(new FakeTimeProvider(Plans.Of(1).CreatedAt));
        await store.PutEndpointAsync(Plans.Spec(), "test");
        var checker = Checker(store);
        for (var g = 1; g <= 6; g++)
        {
            await store.WritePlanAsync(Plans.Of(g, 0, 1, 2));
            await store.ConditionalApplyAsync(Plans.Endpoint, new Generation(g), "az1");
            checker.MarkDirty();
            checker.CheckIfDirty();
        }

        (await store.CleanupAsync(Plans.Endpoint, keep: 2, TimeSpan.Zero)).Deleted.Count.ShouldBe(3);
        checker.MarkDirty();
        checker.CheckIfDirty();
        checker.CheckConvergence(TimeSpan.FromSeconds(10));

        checker.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Check_AppliedBelowCapacityFloor_RecordsI5()
    {
        var store = await Plans.SeededAsync(new InMemoryControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        var checker = Checker(store);
        await store.WritePlanAsync(Plans.Of(1, 0));
        await store.ConditionalApplyAsync(Plans.Endpoint, new Generation(1), "az1");
        checker.MarkDirty();
        checker.CheckIfDirty();

        checker.Violations.Select(v => v.Invariant).ShouldBe([InvariantNames.Guarded]);
    }

    [Fact]
    public async Task CheckConvergence_LatestPlanNotApplied_RecordsI4()
    {
        var store = await Plans.SeededAsync(new InMemoryControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        var checker = Checker(store);
        await store.WritePlanAsync(Plans.Of(1, 0, 1, 2));
        await store.ConditionalApplyAsync(Plans.Endpoint, new Generation(1), "az1");
        await store.WritePlanAsync(Plans.Of(2, 0, 1, 2, 3));
        checker.MarkDirty();
        checker.CheckIfDirty();

        checker.CheckConvergence(TimeSpan.Zero);

        checker.Violations.Select(v => v.Invariant).ShouldBe([InvariantNames.Convergence]);
    }
}
