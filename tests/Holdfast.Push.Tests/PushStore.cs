using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing.Builders;

namespace Holdfast.Push.Tests;

/// <summary>An in-memory control store holding zone svc.example. and endpoint api.svc.example. (targets t1..t3 at 127.0.0.1..3, TTL 60), with applies made through the real fence.</summary>
internal sealed class PushStore
{
    public const string Endpoint = "api.svc.example.";

    private PushStore(InMemoryControlStore store) => Store = store;

    public InMemoryControlStore Store { get; }

    public static async Task<PushStore> CreateAsync(params string[] endpoints)
    {
        var store = new InMemoryControlStore(TimeProvider.System);
        await store.PutZoneAsync(new ZoneSpec(Specs.Zone, new SoaValues("ns1.svc.example.", "hostmaster.svc.example."), ["ns1.svc.example."]), "test");
        foreach (var name in endpoints.Length == 0 ? ["api"] : endpoints)
        {
            await store.PutEndpointAsync(Specs.Endpoint(name), "test");
        }

        return new PushStore(store);
    }

    /// <summary>Writes a plan with <paramref name="targets"/> and applies it (fenced); returns its generation.</summary>
    public async Task<Generation> ApplyAsync(string endpoint, params string[] targets)
    {
        var spec = (await Store.GetEndpointAsync(endpoint))!;
        var generation = await Store.AllocateGenerationAsync();
        (await Store.WritePlanAsync(Specs.Plan(spec, generation.Value, DateTimeOffset.UtcNow, targets))).Written.ShouldBeTrue();
        (await Store.ConditionalApplyAsync(endpoint, generation, "az1")).Status.ShouldBe(ApplyStatus.Applied);
        return generation;
    }
}
