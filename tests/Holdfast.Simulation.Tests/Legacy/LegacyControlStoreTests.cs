using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Simulation.Legacy;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Simulation.Tests.Legacy;

public sealed class LegacyControlStoreTests
{
    [Fact]
    public async Task ApplyPlan_OlderThanLive_OverwritesIt()
    {
        var store = new LegacyControlStore(new FakeTimeProvider(TestTime.IncidentStart));
        await store.WritePlanAsync(Plans.Of(1, 0));
        await store.WritePlanAsync(Plans.Of(2, 0, 1));
        await store.ApplyPlanAsync(Plans.Of(2, 0, 1), "az2");

        await store.ApplyPlanAsync(Plans.Of(1, 0), "az1");

        (await store.GetAppliedAsync(Plans.Endpoint))!.Generation.ShouldBe(new Generation(1));
    }

    [Fact]
    public async Task DeletePlansBelow_LivePlanAmongThem_LeavesTheEndpointWithNoRecords()
    {
        var store = new LegacyControlStore(new FakeTimeProvider(TestTime.IncidentStart));
        for (var g = 1; g <= 5; g++)
        {
            await store.WritePlanAsync(Plans.Of(g, 0, 1));
        }

        await store.ApplyPlanAsync(Plans.Of(1, 0, 1), "az1");

        var deleted = await store.DeletePlansBelowAsync(Plans.Endpoint, new Generation(3));

        deleted.ShouldBe([new Generation(1), new Generation(2)]);
        (await store.GetAppliedAsync(Plans.Endpoint))!.Records.ShouldBeEmpty();
    }
}
