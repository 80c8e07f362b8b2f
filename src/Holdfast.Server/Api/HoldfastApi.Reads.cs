using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Holdfast.Server.Api;

public static partial class HoldfastApi
{
    private static void MapReads(RouteGroupBuilder api, HoldfastHost host)
    {
        api.MapGet("/status", (CancellationToken ct) => StatusAsync(host, ct)).Produces<StatusView>().Named("status");
        api.MapGet("/zones", (CancellationToken ct) => ZonesAsync(host, null, ct)).Produces<ZoneView[]>().Named("zones");
        api.MapGet("/zones/{apex}", (string apex, CancellationToken ct) => ZonesAsync(host, ApiNames.Endpoint(apex), ct)).Produces<ZoneView>().Named("zone");
        api.MapGet("/endpoints", async (CancellationToken ct) =>
        {
            var freeze = await host.Store.GetFreezeAsync(ct);
            var views = new List<EndpointView>();
            foreach (var spec in await host.Store.ListEndpointsAsync(ct))
            {
                views.Add(ApiViews.Endpoint(spec, await host.Store.GetAppliedAsync(spec.Name, ct), await host.Store.ListPlansAsync(spec.Name, ct), freeze));
            }

            return TypedResults.Ok(views);
        }).Named("endpoints");
        api.MapGet("/endpoints/{name}", (string name, CancellationToken ct) => EndpointAsync(host, ApiNames.Endpoint(name), ct)).Produces<EndpointDetailView>().Named("endpoint");
        api.MapGet("/targets", (CancellationToken ct) => TargetsAsync(host, ct)).Produces<TargetView[]>().Named("targets");
        api.MapGet("/health", (CancellationToken ct) => TargetsAsync(host, ct)).Produces<TargetView[]>().Named("health");
        api.MapGet("/endpoints/{name}/plans", async (string name, CancellationToken ct) =>
        {
            var endpoint = ApiNames.Endpoint(name);
            var plans = await host.Store.ListPlansAsync(endpoint, ct);
            if (plans.Count == 0 && await FindAsync(host, endpoint, ct) is null)
            {
                return ApiResults.NotFound($"endpoint '{endpoint}' does not exist");
            }

            var applied = await host.Store.GetAppliedAsync(endpoint, ct);
            return TypedResults.Ok(plans.Reverse().Select(p => ApiViews.Plan(p, applied)).ToList());
        }).Produces<PlanView[]>().Named("plans");
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
        api.MapGet("/endpoints/{name}/diff", (string name, string? from, string? to, CancellationToken ct) => DiffAsync(host, ApiNames.Endpoint(name), from, to, ct)).Produces<DiffView>().Named("diff");
    }

    private static async Task<EndpointSpec?> FindAsync(HoldfastHost host, string endpoint, CancellationToken ct) =>
        (await host.Store.ListEndpointsAsync(ct)).FirstOrDefault(e => e.Name == endpoint);

    private static async Task<IResult> StatusAsync(HoldfastHost host, CancellationToken ct)
    {
        var reasons = await host.NotReadyReasonsAsync(ct);
        var freeze = await host.Store.GetFreezeAsync(ct);
        var endpoints = await host.Store.ListEndpointsAsync(ct);
        var alarms = new List<AlarmView>();
        foreach (var spec in endpoints)
        {
            var latest = await host.Store.GetLatestValidPlanAsync(spec.Name, ct);
            alarms.AddRange(latest?.Plan.Decisions.Where(d => d.Alarm && d.Fired).Select(d => new AlarmView(spec.Name, d.Guardrail, ApiViews.Lower(d.Verdict), d.Reason)) ?? []);
        }

        alarms.AddRange(host.Planner.SelfPreservationState().Where(z => z.Value.Active).Select(z => new AlarmView(z.Key, GuardrailNames.SelfPreservation, "held", z.Value.Reason)));
        var options = host.Options;
        return TypedResults.Ok(new StatusView(
            reasons.Count == 0,
            reasons,
            Path.GetFullPath(options.DataDirectory),
            [.. host.DnsEndPoints.Select(e => e.ToString())],
            host.ApiAddress.ToString().TrimEnd('/'),
            (await host.Store.ListZonesAsync(ct)).Count,
            endpoints.Count,
            freeze.Global is not null,
            [.. freeze.Endpoints.Keys.Order(StringComparer.Ordinal)],
            [.. host.Enactors.Select(e => host.Observer.LastPass(e.Id) is { } pass ? new EnactorView(e.Id, e.Az, pass.At, pass.Error) : new EnactorView(e.Id, e.Az, null, null))],
            alarms));
    }

    private static async Task<IResult> ZonesAsync(HoldfastHost host, string? apex, CancellationToken ct)
    {
        var endpoints = await host.Store.ListEndpointsAsync(ct);
        var serial = unchecked((uint)(host.Feed.Revision + 1));
        var views = (await host.Store.ListZonesAsync(ct))
            .Where(z => apex is null || z.Apex == apex)
            .Select(z => new ZoneView(z.Apex, serial, new SoaView(z.Soa.PrimaryNameServer, z.Soa.ResponsibleMailbox, z.Soa.Refresh, z.Soa.Retry, z.Soa.Expire, z.Soa.Minimum), z.NameServers, z.DefaultTtl, endpoints.Count(e => e.Zone == z.Apex)))
            .ToList();
        if (apex is null)
        {
            return TypedResults.Ok(views);
        }

        return views.Count == 0 ? ApiResults.NotFound($"zone '{apex}' does not exist") : TypedResults.Ok(views[0]);
    }

    private static async Task<IResult> EndpointAsync(HoldfastHost host, string name, CancellationToken ct)
    {
        var spec = await FindAsync(host, name, ct);
        if (spec is null)
        {
            return ApiResults.NotFound($"endpoint '{name}' does not exist");
        }

        var applied = await host.Store.GetAppliedAsync(name, ct);
        var plans = await host.Store.ListPlansAsync(name, ct);
        var latest = plans.LastOrDefault(p => !p.IsRejected);
        var live = applied is null ? null : plans.FirstOrDefault(p => p.Plan.Generation == applied.Generation);
        return TypedResults.Ok(new EndpointDetailView(
            ApiViews.Endpoint(spec, applied, plans, await host.Store.GetFreezeAsync(ct)),
            latest?.Plan.Origin == PlanOrigin.Rollback,
            [.. spec.Targets.Select(t => ApiViews.Target(spec, t, applied, host.Aggregator.GetTargetStatus(spec.Name, t.Id), host.Checks.Find(spec.Name, t.Id)))],
            live is null ? null : ApiViews.Plan(live, applied),
            latest is null ? null : ApiViews.Plan(latest, applied),
            [.. host.Tail.Recent(name).Reverse().Select(ApiViews.Event)]));
    }

    private static async Task<IResult> TargetsAsync(HoldfastHost host, CancellationToken ct)
    {
        var views = new List<TargetView>();
        foreach (var spec in await host.Store.ListEndpointsAsync(ct))
        {
            var applied = await host.Store.GetAppliedAsync(spec.Name, ct);
            views.AddRange(spec.Targets.Select(t => ApiViews.Target(spec, t, applied, host.Aggregator.GetTargetStatus(spec.Name, t.Id), host.Checks.Find(spec.Name, t.Id))));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<IResult> DiffAsync(HoldfastHost host, string name, string? from, string? to, CancellationToken ct)
    {
        if (await FindAsync(host, name, ct) is null)
        {
            return ApiResults.NotFound($"endpoint '{name}' does not exist");
        }

        var errors = new List<(string, string)>();
        var fromGeneration = Generation.None;
        var toGeneration = Generation.None;
        if (from is not null && !ApiNames.TryGeneration(from, out fromGeneration))
        {
            errors.Add(("from", $"expected a generation such as 12 or g12, got '{from}'"));
        }

        if (to is not null && !ApiNames.TryGeneration(to, out toGeneration))
        {
            errors.Add(("to", $"expected a generation such as 12 or g12, got '{to}'"));
        }

        if (errors.Count > 0)
        {
            return ApiResults.BadRequest(errors);
        }

        var applied = await host.Store.GetAppliedAsync(name, ct);
        var plans = await host.Store.ListPlansAsync(name, ct);
        var fromRecords = from is null ? applied?.Records : plans.FirstOrDefault(p => p.Plan.Generation == fromGeneration)?.Plan.Records;
        if (from is null)
        {
            fromGeneration = applied?.Generation ?? Generation.None;
        }

        var latest = plans.LastOrDefault(p => !p.IsRejected);
        var toRecords = to is null ? latest?.Plan.Records : plans.FirstOrDefault(p => p.Plan.Generation == toGeneration)?.Plan.Records;
        if (to is null)
        {
            toGeneration = latest?.Plan.Generation ?? Generation.None;
        }

        if (from is not null && fromRecords is null)
        {
            return ApiResults.NotFound($"plan {fromGeneration} of '{name}' does not exist (never written, or cleaned up)");
        }

        if (to is not null && toRecords is null)
        {
            return ApiResults.NotFound($"plan {toGeneration} of '{name}' does not exist (never written, or cleaned up)");
        }

        var before = (fromRecords ?? []).Select(r => r.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        var after = (toRecords ?? []).Select(r => r.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        return TypedResults.Ok(new DiffView(
            fromGeneration.Value,
            toGeneration.Value,
            [.. after.Except(before).Order(StringComparer.Ordinal)],
            [.. before.Except(after).Order(StringComparer.Ordinal)],
            [.. before.Intersect(after).Order(StringComparer.Ordinal)]));
    }
}
