using Holdfast.ControlPlane.Store;
using Holdfast.Testing;
using Holdfast.Testing.StoreContract;

namespace Holdfast.Storage.Sqlite.Tests;

public sealed class SqliteControlStoreContractTests : ControlStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override IControlStore CreateStore(TimeProvider time) => SqliteControlStore.Open(_directory.Path, time);

    // Closes the file and opens it again: what survives is what was committed to disk.
    protected override IControlStore Reopen(IControlStore store, TimeProvider time)
    {
        ((SqliteControlStore)store).Dispose();
        return SqliteControlStore.Open(_directory.Path, time);
    }

    protected override Task CompactChangesAsync(IControlStore store, long throughRevision) =>
        ((SqliteControlStore)store).CompactChangesAsync(throughRevision);

    void IDisposable.Dispose()
    {
        Dispose();
        _directory.Dispose();
    }
}
