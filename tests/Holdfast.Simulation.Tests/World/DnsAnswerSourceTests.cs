using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Simulation.Legacy;
using Holdfast.Simulation.World;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Simulation.Tests.World;

/// <summary>
/// The simulator's clients resolve through the real query engine: what they get is what the host's DNS
/// server would answer from the same applied state, including the last-good-answer rule in the fenced world
/// and its absence in the legacy one.
/// </summary>
public sealed class DnsAnswerSourceTests
{
    [Fact]
    public async Task Resolve_NothingApplied_NameExistsWithNoAddress()
    {
        var source = new DnsAnswerSource(await Plans.SeededAsync(new LegacyControlStore(new FakeTimeProvider(TestTime.IncidentStart))), new FakeTimeProvider(TestTime.IncidentStart), new Random(1), lastGoodAnswerRule: true);
        source.Resolve(Plans.Endpoint).ShouldBeEmpty();
        source.Resolve("other.svc.example.").ShouldBeNull("NXDOMAIN: the name is not served");
        source.Resolve("api.elsewhere.example.").ShouldBeNull("REFUSED: outside every zone");
    }

    [Fact]
    public async Task Resolve_AfterApply_ReturnsTheAppliedAddressesAndRebuildsOnlyOnChange()
    {
        var store = await Plans.SeededAsync(new LegacyControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        var source = new DnsAnswerSource(store, new FakeTimeProvider(TestTime.IncidentStart), new Random(1), lastGoodAnswerRule: true);
        await store.WritePlanAsync(Plans.Of(1, 0, 1, 2));
        await store.ApplyPlanAsync(Plans.Of(1, 0, 1, 2), "az1");

        source.Resolve(Plans.Endpoint)!.Select(a => a.ToString()).Order().ShouldBe(["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
        var built = source.Rebuilds;
        source.Resolve(Plans.Endpoint);
        source.Rebuilds.ShouldBe(built, "nothing changed, nothing is built");

        await store.WritePlanAsync(Plans.Of(2, 3));
        source.Resolve(Plans.Endpoint);
        source.Rebuilds.ShouldBe(built, "a plan written is not served data");
        await store.ApplyPlanAsync(Plans.Of(2, 3), "az1");
        source.Resolve(Plans.Endpoint).ShouldBe([IPAddress.Parse("10.0.0.4")]);
        source.Rebuilds.ShouldBe(built + 1);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 0)]
    public async Task Resolve_AppliedRecordsDeleted_LastGoodRuleDecidesWhatClientsGet(bool lastGoodAnswerRule, int expected)
    {
        var store = await Plans.SeededAsync(new LegacyControlStore(new FakeTimeProvider(TestTime.IncidentStart)));
        var source = new DnsAnswerSource(store, new FakeTimeProvider(TestTime.IncidentStart), new Random(1), lastGoodAnswerRule);
        await store.WritePlanAsync(Plans.Of(1, 0, 1, 2));
        await store.WritePlanAsync(Plans.Of(2, 0, 1, 2));
        await store.ApplyPlanAsync(Plans.Of(1, 0, 1, 2), "az1");
        source.Resolve(Plans.Endpoint)!.Count.ShouldBe(3);

        // The 2025 cleanup: deleting the live plan removes its records.
        await store.DeletePlansBelowAsync(Plans.Endpoint, new Generation(2));

        source.Resolve(Plans.Endpoint)!.Count.ShouldBe(expected);
        source.LastGoodAnswersKept.ShouldBe(lastGoodAnswerRule ? 1 : 0);
    }
}
