using Holdfast.ControlPlane.Store;
using Holdfast.Testing.StoreContract;

namespace Holdfast.ControlPlane.Tests.Store;

public sealed class InMemoryControlStoreContractTests : ControlStoreContractTests
{
    protected override IControlStore CreateStore(TimeProvider time) => new InMemoryControlStore(time);

    // Nothing to close: the same object is the store's whole life.
    protected override IControlStore Reopen(IControlStore store, TimeProvider time) => store;
}
