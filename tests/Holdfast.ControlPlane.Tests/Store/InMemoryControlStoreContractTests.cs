using Holdfast.ControlPlane.Store;
using Holdfast.Testing.StoreContract;

namespace Holdfast.ControlPlane.Tests.Store;

public sealed class InMemoryControlStoreContractTests : ControlStoreContractTests
{
    protected override IControlStore CreateStore(TimeProvider time) => new InMemoryControlStore(time);

    // Nothing to close: the same object is the store's whole life.
    protected override IControlStore Reopen(IControlStore store, TimeProvider time) => store;

    protected override Task CompactChangesAsync(IControlStore store, long throughRevision)
    {
        ((InMemoryControlStore)store).CompactChanges(throughRevision);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ChangeRetention_KeepsTheNewestRevisions()
    {
        var store = new InMemoryControlStore(Time, changeRetention: 3);
        for (var i = 0; i < 6; i++)
        {
            await store.PutEndpointAsync(Holdfast.Testing.Builders.Specs.Endpoint("e" + i), "test");
        }

        (await store.ReadChangesAsync(2, 10)).Compacted.ShouldBeTrue();
        (await store.ReadChangesAsync(3, 10)).Changes.Select(c => c.Revision).ShouldBe([4, 5, 6]);
    }
}
