using System.Runtime.CompilerServices;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
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
    private const int MaxPage = 10_000;
    private const int MaxAlarms = 100;
    private const int RecentEvents = 20;

    private static void MapReads(RouteGroupBuilder api, HoldfastHost host)
    {
        api.MapGet("/status", (CancellationToken ct) => StatusAsync(host, ct)).Produces<StatusView>().Named("status");
        api.MapGet("/zones", (CancellationToken ct) => ZonesAsync(host, null, ct)).Produces<ZoneView[]>().Named("zones");
        api.MapGet("/zones/{apex}", (string apex, CancellationToken ct) => ZonesAsync(host, ApiNames.Endpoint(apex), ct)).Produces<ZoneView>().Named("zone");
        api.MapGet("/endpoints", (string? after, string? limit, HttpResponse response, CancellationToken ct) => EndpointsAsync(host, after, limit, response, ct)).Produces<EndpointView[]>().Named("endpoints");
        api.MapGet("/endpoints/{name}", (string name, CancellationToken ct) => EndpointAsync(host, ApiNames.Endpoint(name), ct)).Produces<EndpointDetailView>().Named("endpoint");
        api.MapGet("/targets", (CancellationToken ct) => TypedResults.Ok(TargetsAsync(host, ct))).Produces<TargetView[]>().Named("targets");
        api.MapGet("/health", (CancellationToken ct) => TypedResults.Ok(TargetsAsync(host, ct))).Produces<TargetView[]>().Named("health");
        api.MapGet("/endpoints/{name}/plans", async (string name, CancellationToken ct) =>
        {
            var stored = await host.Store.ReadEndpointAsync(ApiNames.Endpoint(name), EndpointParts.All, ct);
            return stored.Spec is null && stored.Plans.Count == 0
                ? ApiResults.NotFound($"endpoint '{stored.Name}' does not exist")
                : TypedResults.Ok(stored.Plans.Reverse().Select(p => ApiViews.Plan(p, stored.Applied)).ToList());
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

    // A listing row shows the latest generation, not the history: one plan per endpoint read, not all of them.
    private const EndpointParts ListedParts = EndpointParts.Spec | EndpointParts.Applied | EndpointParts.LatestPlan;

    private static PlannerView PlannerStatus(PlannerLoop planner, DateTimeOffset now)
    {
        var (waiting, since) = planner.Backlog;
        return new PlannerView(waiting, since is { } at ? Math.Round((now - at).TotalSeconds, 3) : 0, planner.Passing, planner.LastFullPass);
    }

    private static async Task<IResult> StatusAsync(HoldfastHost host, CancellationToken ct)
    {
        var reasons = await host.NotReadyReasonsAsync(ct);
        var freeze = await host.Store.GetFreezeAsync(ct);
        var alarms = (await host.Store.ListAlarmsAsync(MaxAlarms, ct))
            .SelectMany(p => p.Plan.Decisions.Where(d => d.Alarm && d.Fired).Select(d => new AlarmView(p.Plan.Endpoint, d.Guardrail, ApiViews.Lower(d.Verdict), d.Reason)))
            .ToList();
        alarms.AddRange(host.Planner.SelfPreservationState().Where(z => z.Value.Active).Select(z => new AlarmView(z.Key, GuardrailNames.SelfPreservation, "held", z.Value.Reason)));
        var options = host.Options;
        var now = host.Time.GetUtcNow();
        return TypedResults.Ok(new StatusView(
            reasons.Count == 0,
            reasons,
            Path.GetFullPath(options.DataDirectory),
            [.. host.DnsEndPoints.Select(e => e.ToString())],
            host.ApiAddress.ToString().TrimEnd('/'),
            (await host.Store.ListZonesAsync(ct)).Count,
            await host.Store.CountEndpointsAsync(ct),
            freeze.Global is not null,
            [.. freeze.Endpoints.Keys.Order(StringComparer.Ordinal)],
            [.. host.Enactors.Select(e =>
            {
                var pass = host.Observer.LastPass(e.Id);
                return new EnactorView(e.Id, e.Az, pass?.At, pass?.Error, e.Backlog.Waiting, Math.Round(HoldfastHost.EnactorLag(e, now).TotalSeconds, 3));
            })],
            alarms,
            ControlStoreFactory.Describe(host.Store),
            PlannerStatus(host.Planner, now),
            await ClusterAsync(host, ct)));
    }

    private static async Task<ClusterView?> ClusterAsync(HoldfastHost host, CancellationToken ct)
    {
        if (host.Membership is not { } membership)
        {
            return null;
        }

        var nodes = await membership.ListNodesAsync(ct);
        var served = host.Feed.Revision;
        var revision = await host.Store.GetRevisionAsync(ct);
        return new ClusterView(membership.NodeId, await membership.GetPlannerAsync(ct), [.. nodes.Select(n => new NodeView(n.NodeId, n.Description, n.Since))], served, revision, Math.Max(0, revision - served));
    }

    private static async Task<IResult> ZonesAsync(HoldfastHost host, string? apex, CancellationToken ct)
    {
        var served = host.Engine.Zones;
        var views = (await host.Store.ListZonesAsync(ct))
            .Where(z => apex is null || z.Spec.Apex == apex)
            .Select(z =>
            {
                var snapshot = served.Find(z.Spec.Apex);
                var soa = z.Spec.Soa;
                return new ZoneView(z.Spec.Apex, snapshot?.Serial ?? z.Serial, new SoaView(soa.PrimaryNameServer, soa.ResponsibleMailbox, soa.Refresh, soa.Retry, soa.Expire, soa.Minimum), z.Spec.NameServers, z.Spec.DefaultTtl, snapshot?.Endpoints.Count ?? 0);
            })
            .ToList();
        if (apex is null)
        {
            return TypedResults.Ok(views);
        }

        return views.Count == 0 ? ApiResults.NotFound($"zone '{apex}' does not exist") : TypedResults.Ok(views[0]);
    }

    /// <summary>
    /// Every endpoint, streamed page by page; with <c>limit</c> one page of at most that many after <c>after</c> (a name),
    /// and the name to continue after in the <c>X-Next-After</c> header when there are more.
    /// </summary>
    private static async Task<IResult> EndpointsAsync(HoldfastHost host, string? after, string? limit, HttpResponse response, CancellationToken ct)
    {
        var errors = new List<(string, string)>();
        var max = limit is null ? (long?)null : ParseCount(limit, "limit", 1, MaxPage, 100, errors);
        if (errors.Count > 0)
        {
            return ApiResults.BadRequest(errors);
        }

        var freeze = await host.Store.GetFreezeAsync(ct);
        if (max is not { } size)
        {
            return TypedResults.Ok(StreamEndpointsAsync(host, after is null ? null : ApiNames.Endpoint(after), freeze, ct));
        }

        var page = await host.Store.ListEndpointsAsync(after is null ? null : ApiNames.Endpoint(after), (int)size, ListedParts, ct);
        if (page.Next is { } next)
        {
            response.Headers["X-Next-After"] = next;
        }

        return TypedResults.Ok(page.Items.Select(s => ApiViews.Endpoint(s.Spec!, s.Applied, s.Plans, freeze)).ToList());
    }

    private static async IAsyncEnumerable<EndpointView> StreamEndpointsAsync(HoldfastHost host, string? after, FreezeState freeze, [EnumeratorCancellation] CancellationToken ct)
    {
        do
        {
            var page = await host.Store.ListEndpointsAsync(after, ControlStoreExtensions.ListPageSize, ListedParts, ct);
            foreach (var stored in page.Items)
            {
                yield return ApiViews.Endpoint(stored.Spec!, stored.Applied, stored.Plans, freeze);
            }

            after = page.Next;
        }
        while (after is not null);
    }

    private static async Task<IResult> EndpointAsync(HoldfastHost host, string name, CancellationToken ct)
    {
        var stored = await host.Store.ReadEndpointAsync(name, EndpointParts.All, ct);
        if (stored.Spec is not { } spec)
        {
            return ApiResults.NotFound($"endpoint '{name}' does not exist");
        }

        var latest = stored.LatestValidPlan;
        var live = stored.Applied is null ? null : stored.Plans.FirstOrDefault(p => p.Plan.Generation == stored.Applied.Generation);
        var events = await host.Store.ReadAuditForAsync(name, RecentEvents, ct);
        return TypedResults.Ok(new EndpointDetailView(
            ApiViews.Endpoint(spec, stored.Applied, stored.Plans, await host.Store.GetFreezeAsync(ct)),
            latest?.Plan.Origin == PlanOrigin.Rollback,
            [.. spec.Targets.Select(t => ApiViews.Target(spec, t, stored.Applied, host.Aggregator.GetTargetStatus(spec.Name, t.Id)))],
            live is null ? null : ApiViews.Plan(live, stored.Applied),
            latest is null ? null : ApiViews.Plan(latest, stored.Applied),
            [.. events.Select(ApiViews.Event)]));
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

    private static async Task<IResult> DiffAsync(HoldfastHost host, string name, string? from, string? to, CancellationToken ct)
    {
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

        var stored = await host.Store.ReadEndpointAsync(name, EndpointParts.All, ct);
        if (stored.Spec is null)
        {
            return ApiResults.NotFound($"endpoint '{name}' does not exist");
        }

        var applied = stored.Applied;
        var plans = stored.Plans;
        var fromRecords = from is null ? applied?.Records : plans.FirstOrDefault(p => p.Plan.Generation == fromGeneration)?.Plan.Records;
        if (from is null)
        {
            fromGeneration = applied?.Generation ?? Generation.None;
        }

        var latest = stored.LatestValidPlan;
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
