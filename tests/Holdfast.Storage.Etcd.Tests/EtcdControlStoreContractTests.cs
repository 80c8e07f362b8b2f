using Holdfast.ControlPlane.Store;
using Holdfast.Testing;
using Holdfast.Testing.StoreContract;

namespace Holdfast.Storage.Etcd.Tests;

/// <summary>The store contract against one etcd member.</summary>
public sealed class SingleEtcdControlStoreContractTests(SingleEtcdFixture fixture) : EtcdContractTests(fixture.Cluster), IClassFixture<SingleEtcdFixture>;

/// <summary>The store contract against a 3-member etcd cluster (calls spread over the members).</summary>
public sealed class ClusterEtcdControlStoreContractTests(EtcdClusterFixture fixture) : EtcdContractTests(fixture.Cluster), IClassFixture<EtcdClusterFixture>;

/// <summary>The contract on etcd: each test has its own prefix, and reopening opens a new client on the same prefix.</summary>
public abstract class EtcdContractTests(EtcdCluster cluster) : ControlStoreContractTests
{
    private readonly string _prefix = "/t/" + Guid.NewGuid().ToString("N") + "/";

    protected override IControlStore CreateStore(TimeProvider time) =>
        EtcdControlStore.Open(new EtcdControlStoreOptions { Endpoints = cluster.ClientUrls, Prefix = _prefix }, time);

    protected override IControlStore Reopen(IControlStore store, TimeProvider time)
    {
        ((EtcdControlStore)store).Dispose();
        return CreateStore(time);
    }

    protected override Task CompactChangesAsync(IControlStore store, long throughRevision) =>
        ((EtcdControlStore)store).CompactChangesAsync(throughRevision);
}
