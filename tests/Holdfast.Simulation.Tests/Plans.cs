using System.Collections.Immutable;
using System.Net;
using Holdfast.ControlPlane.Model;

namespace Holdfast.Simulation.Tests;

/// <summary>Small builders for plans and endpoints in these tests.</summary>
internal static class Plans
{
    public const string Endpoint = "api.svc.example.";

    public static EndpointSpec Spec(int targets = 4) => new(
        Endpoint,
        "svc.example.",
        EndpointPolicy.Default,
        [.. Enumerable.Range(0, targets).Select(i => new Target("t" + i, new IPAddress([10, 0, 0, (byte)(i + 1)]), "az1"))]);

    /// <summary>Puts the zone and the endpoint of <see cref="Spec"/> into a store (the DNS server serves what the store holds).</summary>
    public static async Task<T> SeededAsync<T>(T store)
        where T : Holdfast.ControlPlane.Store.IControlStore
    {
        await store.PutZoneAsync(new ZoneSpec("svc.example.", new SoaValues("ns1.svc.example.", "hostmaster.svc.example."), ["ns1.svc.example."]), "test");
        await Holdfast.ControlPlane.Store.ControlStoreExtensions.PutEndpointAsync(store, Spec(), "test");
        return store;
    }

    public static Plan Of(long generation, params int[] targets) => new(
        Endpoint,
        new Generation(generation),
        [.. targets.Select(i => new PlanRecord("t" + i, new IPAddress([10, 0, 0, (byte)(i + 1)]), 1, 1))],
        "hash",
        "test",
        ImmutableArray<Holdfast.ControlPlane.Guardrails.GuardrailDecision>.Empty,
        new DateTimeOffset(2025, 10, 20, 0, 0, 0, TimeSpan.Zero));
}
