using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Configuration;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Holdfast.Server.Api;

public static partial class HoldfastApi
{
    private const string DefaultActor = "api";

    private static void MapWrites(RouteGroupBuilder api, HoldfastHost host, HoldfastActions actions)
    {
        api.MapPut("/endpoints/{name}", (string name, HttpRequest request, CancellationToken ct) => PutEndpointAsync(host, ApiNames.Endpoint(name), request, ct)).Produces<EndpointView>().Named("put-endpoint");
        api.MapDelete("/endpoints/{name}", (string name, CancellationToken ct) => DeleteEndpointAsync(host, ApiNames.Endpoint(name), ct)).Named("delete-endpoint");
        api.MapPut("/endpoints/{name}/targets/{id}", (string name, string id, HttpRequest request, CancellationToken ct) => PutTargetAsync(host, ApiNames.Endpoint(name), id, request, ct)).Produces<EndpointView>().Named("put-target");
        api.MapDelete("/endpoints/{name}/targets/{id}", (string name, string id, CancellationToken ct) => DeleteTargetAsync(host, ApiNames.Endpoint(name), id, ct)).Named("delete-target");
        api.MapPost("/health/observations", (HttpRequest request) => ObserveAsync(host, request)).Produces<ObservationView>(StatusCodes.Status202Accepted).Named("observe");
        api.MapPost("/endpoints/{name}/plan/dry-run", (string name, CancellationToken ct) => DryRunAsync(host, ApiNames.Endpoint(name), ct)).Produces<DryRunView>().Named("dry-run");
        api.MapPost("/freeze", (HttpRequest request, CancellationToken ct) => FreezeAsync(actions, request, freeze: true, ct)).Produces<FreezeView>().Named("freeze");
        api.MapPost("/unfreeze", (HttpRequest request, CancellationToken ct) => FreezeAsync(actions, request, freeze: false, ct)).Produces<FreezeView>().Named("unfreeze");
        api.MapPost("/endpoints/{name}/rollback", (string name, HttpRequest request, CancellationToken ct) => RollbackAsync(actions, ApiNames.Endpoint(name), request, ct)).Produces<RollbackView>().Named("rollback");
        api.MapPost("/endpoints/{name}/resume", (string name, HttpRequest request, CancellationToken ct) => ResumeAsync(actions, ApiNames.Endpoint(name), request, ct)).Produces<PlanView>().Named("resume");
        api.MapPost("/demo/targets/{name}/{id}", async (string name, string id, HttpRequest request) =>
        {
            var (body, error) = await ApiResults.ReadAsync<DemoRequest>(request);
            if (body is null)
            {
                return error!;
            }

            if (!host.DemoTargets.TryGetValue(HealthView.Key(ApiNames.Endpoint(name), id), out var listener))
            {
                return ApiResults.NotFound($"no demo health listener for target '{id}' of '{ApiNames.Endpoint(name)}' (only with holdfast up --demo)");
            }

            listener.StatusCode = body.Healthy ? 200 : 503;
            return TypedResults.NoContent();
        }).Named("demo-target");
        api.MapPost("/zones/{apex}/self-preservation/release", (string apex, HttpRequest request, CancellationToken ct) => ReleaseAsync(host, ApiNames.Endpoint(apex), request, ct)).Named("release-self-preservation");
    }

    private static async Task<IResult> PutEndpointAsync(HoldfastHost host, string name, HttpRequest request, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadElementAsync(request);
        if (error is not null)
        {
            return error;
        }

        var node = JsonConfigReader.Read(body);
        var named = node.Entries.FindIndex(e => e.Key == "name");
        if (named >= 0 && node.Entries[named].Value.Scalar is { } given && ApiNames.Endpoint(given) != name)
        {
            return ApiResults.BadRequest("name", $"the body names '{given}' but the URL names '{name}'; leave it out or make them equal");
        }

        if (named < 0)
        {
            node.Entries.Add(new("name", ConfigNode.Value(JsonConfigReader.Location, name)));
        }

        var errors = new List<ConfigError>();
        var endpoint = ConfigBinder.BindEndpoint(new ConfigSection(node, "", errors));
        if (endpoint is not null && errors.Count == 0)
        {
            var zones = (await host.Store.ListZonesAsync(ct)).Select(z => z.Spec.Apex).ToHashSet(StringComparer.Ordinal);
            ConfigRules.CheckEndpoint(endpoint, "", zones, Azs(host), Sources(host), (path, message) => errors.Add(new ConfigError(path, JsonConfigReader.Location, message)));
        }

        if (errors.Count > 0 || endpoint is null)
        {
            return ApiResults.BadRequest([.. errors.Select(e => (e.Path, e.Message))]);
        }

        // One store call: the spec carries its targets' health checks; the store audits the put in the same transaction.
        var outcome = await host.Store.PutEndpointAsync(DesiredState.ToSpec(endpoint), DefaultActor, ct);
        var created = outcome == EndpointWriteOutcome.Created;
        var view = await EndpointViewAsync(host, name, ct);
        return created ? TypedResults.Created($"/api/v1/endpoints/{name}", view) : TypedResults.Ok(view);
    }

    private static async Task<IResult> PutTargetAsync(HoldfastHost host, string name, string id, HttpRequest request, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadElementAsync(request);
        if (error is not null)
        {
            return error;
        }

        var node = JsonConfigReader.Read(body);
        var given = node.Entries.FirstOrDefault(e => e.Key == "id").Value?.Scalar;
        if (given is not null && given != id)
        {
            return ApiResults.BadRequest("id", $"the body names target '{given}' but the URL names '{id}'; leave it out or make them equal");
        }

        if (given is null)
        {
            node.Entries.Add(new("id", ConfigNode.Value(JsonConfigReader.Location, id)));
        }

        var errors = new List<ConfigError>();
        var target = ConfigBinder.BindTarget(new ConfigSection(node, "", errors));
        if (target is not null && errors.Count == 0)
        {
            ConfigRules.CheckTarget(target, "", Azs(host), Sources(host), (path, message) => errors.Add(new ConfigError(path, JsonConfigReader.Location, message)));
        }

        if (errors.Count > 0 || target is null)
        {
            return ApiResults.BadRequest([.. errors.Select(e => (e.Path, e.Message))]);
        }

        var outcome = await host.MutateAsync<IResult?>(async () =>
        {
            var spec = await host.Store.GetEndpointAsync(name, ct);
            if (spec is null)
            {
                return ApiResults.NotFound($"endpoint '{name}' does not exist");
            }

            var replaced = spec.FindTarget(id) is not null;
            var targets = replaced ? spec.Targets.Select(t => t.Id == id ? DesiredState.ToTarget(target) : t) : spec.Targets.Append(DesiredState.ToTarget(target));
            await host.Store.PutEndpointAsync(spec with { Targets = [.. targets] }, DefaultActor, ct);
            return null;
        }, ct);
        return outcome ?? TypedResults.Ok(await EndpointViewAsync(host, name, ct));
    }

    /// <summary>Deletes the endpoint with its plans and applied state, in one audited store transaction: its name then answers NXDOMAIN.</summary>
    private static async Task<IResult> DeleteEndpointAsync(HoldfastHost host, string name, CancellationToken ct) =>
        await host.Store.DeleteEndpointAsync(name, DefaultActor, ct)
            ? TypedResults.NoContent()
            : ApiResults.NotFound($"endpoint '{name}' does not exist");

    private static async Task<IResult> DeleteTargetAsync(HoldfastHost host, string name, string id, CancellationToken ct) =>
        await host.MutateAsync(async () =>
        {
            var spec = await host.Store.GetEndpointAsync(name, ct);
            if (spec?.FindTarget(id) is null)
            {
                return ApiResults.NotFound(spec is null ? $"endpoint '{name}' does not exist" : $"target '{id}' of '{name}' does not exist");
            }

            if (spec.Targets.Length == 1)
            {
                return ApiResults.Conflict($"'{id}' is the only target of '{name}': an endpoint never goes empty; delete the endpoint instead");
            }

            await host.Store.PutEndpointAsync(spec with { Targets = [.. spec.Targets.Where(t => t.Id != id)] }, DefaultActor, ct);
            return TypedResults.NoContent();
        }, ct);

    private static async Task<EndpointView> EndpointViewAsync(HoldfastHost host, string name, CancellationToken ct)
    {
        var stored = await host.Store.ReadEndpointAsync(name, EndpointParts.All, ct);
        var spec = stored.Spec ?? throw new InvalidOperationException(name + " vanished while being written");
        return ApiViews.Endpoint(spec, stored.Applied, stored.Plans, await host.Store.GetFreezeAsync(ct));
    }

    private static HashSet<string> Azs(HoldfastHost host) => host.Options.Enactors.Select(e => e.Az).ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, Holdfast.Health.Sources.HealthSourceOptions> Sources(HoldfastHost host) => host.Options.HealthSources.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Reads a body that must carry a reason; the actor defaults to <c>api</c>.</summary>
    private static async Task<(T? Body, string Actor, IResult? Error)> ReadReasonedAsync<T>(HttpRequest request)
        where T : class, IReasonedRequest
    {
        var (body, error) = await ApiResults.ReadAsync<T>(request);
        if (body is null)
        {
            return (null, DefaultActor, error);
        }

        return string.IsNullOrWhiteSpace(body.Reason)
            ? (null, DefaultActor, ApiResults.BadRequest("reason", "is required: say why, it goes into the audit log"))
            : (body, ActorOf(body), null);
    }

    private static string ActorOf(IReasonedRequest body) => string.IsNullOrWhiteSpace(body.Actor) ? DefaultActor : body.Actor;

    private static void Require(List<(string, string)> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add((field, "is required"));
        }
    }

    private static async Task<IResult> DryRunAsync(HoldfastHost host, string name, CancellationToken ct)
    {
        var result = await host.Planner.DryRunAsync(name, ct);
        if (result is null)
        {
            return ApiResults.NotFound($"endpoint '{name}' does not exist");
        }

        var latest = await host.Store.GetLatestValidPlanAsync(name, ct);
        var current = latest?.Plan.Records ?? [];
        var proposed = result.Draft?.Records ?? current;
        return TypedResults.Ok(new DryRunView(
            result.HasChange,
            latest?.Plan.Generation.Value ?? 0,
            ApiViews.Change(current, proposed),
            [.. proposed.Select(r => r.Address.ToString())],
            [.. result.Decisions.Select(ApiViews.Decision)]));
    }

    private static async Task<IResult> FreezeAsync(HoldfastActions actions, HttpRequest request, bool freeze, CancellationToken ct)
    {
        var (body, actor, error) = await ReadReasonedAsync<FreezeRequest>(request);
        if (body is null)
        {
            return error!;
        }

        var endpoint = body.Endpoint is null ? null : ApiNames.Endpoint(body.Endpoint);
        return ApiResults.From(await actions.FreezeAsync(endpoint, freeze, body.Reason, actor, ct));
    }

    private static async Task<IResult> RollbackAsync(HoldfastActions actions, string name, HttpRequest request, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadAsync<RollbackRequestBody>(request);
        if (body is null)
        {
            return error!;
        }

        return ApiResults.From(await actions.RollbackAsync(name, body.To, body.Reason, ActorOf(body), body.OverrideGuardrails, body.DryRun, ct));
    }

    private static async Task<IResult> ResumeAsync(HoldfastActions actions, string name, HttpRequest request, CancellationToken ct)
    {
        var (body, actor, error) = await ReadReasonedAsync<ResumeRequest>(request);
        if (body is null)
        {
            return error!;
        }

        return ApiResults.From(await actions.ResumeAsync(name, body.Reason, actor, ct));
    }

    private static async Task<IResult> ReleaseAsync(HoldfastHost host, string apex, HttpRequest request, CancellationToken ct)
    {
        var (body, actor, error) = await ReadReasonedAsync<ResumeRequest>(request);
        if (body is null)
        {
            return error!;
        }

        if ((await host.Store.ListZonesAsync(ct)).All(z => z.Spec.Apex != apex))
        {
            return ApiResults.NotFound($"zone '{apex}' does not exist");
        }

        // Stored (every planner honours it) and audited in one store call.
        await host.Planner.ReleaseSelfPreservationAsync(apex, actor, body.Reason!, ct);
        return TypedResults.NoContent();
    }
}
