using Holdfast.Testing;

namespace Holdfast.Storage.Etcd.Tests;

/// <summary>One etcd member for a test class; every test works under its own key prefix.</summary>
public sealed class SingleEtcdFixture : IAsyncLifetime
{
    public EtcdCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await EtcdCluster.StartAsync(1);

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}

/// <summary>A 3-member etcd cluster for a test class; every test works under its own key prefix.</summary>
public sealed class EtcdClusterFixture : IAsyncLifetime
{
    public EtcdCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await EtcdCluster.StartAsync(3);

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
