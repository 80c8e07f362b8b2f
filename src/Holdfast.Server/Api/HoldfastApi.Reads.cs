using System.Runtime.CompilerServices;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Holdfast.Server.Api;

/// <summary>
/// The reads. One endpoint is point reads of the store (its spec, plans and applied state in one consistent read);
/// listings page through the store and stream their JSON, so that listing 100,000 endpoints never holds them all.
/// </summary>
public static partial class HoldfastApi
{
    private static void MapReads(RouteGroupBuilder api, HoldfastHost host, HoldfastReads reads)
    {
        api.MapGet("/status", async (CancellationToken ct) => TypedResults.Ok(await reads.StatusAsync(ct))).Produces<StatusView>().Named("status");
        api.MapGet("/zones", async (CancellationToken ct) => TypedResults.Ok(await reads.ZonesAsync(null, ct))).Produces<ZoneView[]>().Named("zones");
        api.MapGet("/zones/{apex}", async (string apex, CancellationToken ct) =>
        {
            var zones = await reads.ZonesAsync(ApiNames.Endpoint(apex), ct);
            return zones.Count == 0 ? ApiResults.NotFound($"zone '{ApiNames.Endpoint(apex)}' does not exist") : TypedResults.Ok(zones[0]);
        }).Produces<ZoneView>().Named("zone");
        api.MapGet("/endpoints", (string? after, string? limit, HttpResponse response, CancellationToken ct) => EndpointsAsync(host, reads, after, limit, response, ct)).Produces<EndpointView[]>().Named("endpoints");
        api.MapGet("/endpoints/{name}", async (string name, CancellationToken ct) =>
            await reads.EndpointAsync(ApiNames.Endpoint(name), ct) is { } detail
                ? TypedResults.Ok(detail)
                : ApiResults.NotFound($"endpoint '{ApiNames.Endpoint(name)}' does not exist")).Produces<EndpointDetailView>().Named("endpoint");
        api.MapGet("/targets", (CancellationToken ct) => TypedResults.Ok(TargetsAsync(host, ct))).Produces<TargetView[]>().Named("targets");
        api.MapGet("/health", (CancellationToken ct) => TypedResults.Ok(TargetsAsync(host, ct))).Produces<TargetView[]>().Named("health");
        api.MapGet("/endpoints/{name}/plans", async (string name, CancellationToken ct) =>
            await reads.PlansAsync(ApiNames.Endpoint(name), ct) is { } plans
                ? TypedResults.Ok(plans)
                : ApiResults.NotFound($"endpoint '{ApiNames.Endpoint(name)}' does not exist")).Produces<PlanView[]>().Named("plans");
        api.MapGet("/endpoints/{name}/plans/{generation}", async (string name, string generation, CancellationToken ct) =>
        {
            var endpoint = ApiNames.Endpoint(name);
            if (!ApiNames.TryGeneration(generation, out var g))
            {
                return ApiResults.BadRequest("generation", $"expected a generation such as 12 or g12, got '{generation}'");
            }

            var entry = await host.Store.GetPlanAsync(endpoint, g, ct);
            return entry is null
                ? ApiResults.NotFound($"plan {g} of '{endpoint}' does not exist (never written, or cleaned up)")
                : TypedResults.Ok(ApiViews.Plan(entry, await host.Store.GetAppliedAsync(endpoint, ct)));
        }).Produces<PlanView>().Named("plan");
        api.MapGet("/endpoints/{name}/diff", async (string name, string? from, string? to, CancellationToken ct) => ApiResults.From(await reads.DiffAsync(ApiNames.Endpoint(name), from, to, ct))).Produces<DiffView>().Named("diff");
    }

    /// <summary>
    /// Every endpoint, streamed page by page; with <c>limit</c> one page of at most that many after <c>after</c> (a name),
    /// and the name to continue after in the <c>X-Next-After</c> header when there are more.
    /// </summary>
    private static async Task<IResult> EndpointsAsync(HoldfastHost host, HoldfastReads reads, string? after, string? limit, HttpResponse response, CancellationToken ct)
    {
        var errors = new List<(string, string)>();
        var max = limit is null ? (long?)null : ParseCount(limit, "limit", 1, HoldfastReads.MaxPage, 100, errors);
        if (errors.Count > 0)
        {
            return ApiResults.BadRequest(errors);
        }

        if (max is not { } size)
        {
            var freeze = await host.Store.GetFreezeAsync(ct);
            return TypedResults.Ok(StreamEndpointsAsync(host, after is null ? null : ApiNames.Endpoint(after), freeze, ct));
        }

        var (items, next) = await reads.EndpointsPageAsync(after is null ? null : ApiNames.Endpoint(after), (int)size, ct);
        if (next is not null)
        {
            response.Headers["X-Next-After"] = next;
        }

        return TypedResults.Ok(items);
    }

    private static async IAsyncEnumerable<EndpointView> StreamEndpointsAsync(HoldfastHost host, string? after, FreezeState freeze, [EnumeratorCancellation] CancellationToken ct)
    {
        do
        {
            var page = await host.Store.ListEndpointsAsync(after, ControlStoreExtensions.ListPageSize, HoldfastReads.ListedParts, ct);
            foreach (var stored in page.Items)
            {
                yield return ApiViews.Endpoint(stored.Spec!, stored.Applied, stored.Plans, freeze);
            }

            after = page.Next;
        }
        while (after is not null);
    }

    private static async IAsyncEnumerable<TargetView> TargetsAsync(HoldfastHost host, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var stored in host.Store.EnumerateEndpointsAsync(EndpointParts.Spec | EndpointParts.Applied, ct))
        {
            var spec = stored.Spec!;
            foreach (var target in spec.Targets)
            {
                yield return ApiViews.Target(spec, target, stored.Applied, host.Aggregator.GetTargetStatus(spec.Name, target.Id));
            }
        }
    }
}
