using Holdfast.Server.Configuration;
using Holdfast.Server.Tests.Hosting;

namespace Holdfast.Server.Tests.Configuration;

/// <summary>The <c>store</c> section for etcd: endpoints, prefix and node id, each refused with a message naming the key.</summary>
public sealed class StoreConfigTests
{
    [Fact]
    public void Validate_EtcdStore_BindsEndpointsPrefixAndNodeId()
    {
        var result = ConfigValidator.Validate(TestHost.Config("/tmp/x", extra: "store: { kind: etcd, endpoints: [http://127.0.0.1:2379, 'http://127.0.0.2:2379'], prefix: /dns/, nodeId: node-a }"), "test.yaml");
        result.Errors.ShouldBeEmpty();
        var store = result.Options!.Store;
        store.Kind.ShouldBe(StoreKind.Etcd);
        store.Endpoints.Select(e => e.ToString()).ShouldBe(["http://127.0.0.1:2379/", "http://127.0.0.2:2379/"]);
        (store.Prefix, store.NodeId).ShouldBe(("/dns/", "node-a"));
    }

    [Theory]
    [InlineData("{ kind: etcd }", "store.endpoints", "is required for kind: etcd")]
    [InlineData("{ kind: etcd, endpoints: [127.0.0.1:2379] }", "store.endpoints[0]", "an etcd client URL")]
    [InlineData("{ kind: etcd, endpoints: [http://127.0.0.1] }", "store.endpoints[0]", "an etcd client URL")]
    [InlineData("{ kind: etcd, endpoints: [http://127.0.0.1:2379/v3] }", "store.endpoints[0]", "no path")]
    [InlineData("{ kind: etcd, endpoints: [http://127.0.0.1:2379], prefix: holdfast }", "store.prefix", "starts and ends with '/'")]
    [InlineData("{ kind: etcd, endpoints: [http://127.0.0.1:2379], nodeId: 'a b' }", "store.nodeId", "letters, digits")]
    [InlineData("{ kind: sqlite, endpoints: [http://127.0.0.1:2379] }", "store.endpoints", "only for kind: etcd")]
    [InlineData("{ kind: etcd, endpoints: [http://127.0.0.1:2379], prefx: /a/ }", "store.prefx", "did you mean 'prefix'")]
    public void Validate_BadEtcdStore_NamesTheKey(string store, string path, string message)
    {
        var result = ConfigValidator.Validate(TestHost.Config("/tmp/x", extra: "store: " + store), "test.yaml");
        result.Options.ShouldBeNull();
        result.Errors.ShouldContain(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal), string.Join("\n", result.Errors));
    }
}
