using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Health.Demo;
using Holdfast.Server.Configuration;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Holdfast.Server.Api;

public static partial class HoldfastApi
{
    private const string DefaultActor = "api";

    // The handlers' services are resolved per request: the planner and the health aggregator exist once the control
    // plane started, and the guard answers 503 to every call before that.
    private static void MapWrites(RouteGroupBuilder api)
    {
        api.MapPut("/endpoints/{name}", (string name, HttpRequest request, [FromServices] IControlStore store, [FromServices] EndpointWriteRules rules, CancellationToken ct) => PutEndpointAsync(store, rules, ApiNames.Endpoint(name), request, ct)).Produces<EndpointView>().Named("put-endpoint");
        api.MapDelete("/endpoints/{name}", (string name, [FromServices] IControlStore store, CancellationToken ct) => DeleteEndpointAsync(store, ApiNames.Endpoint(name), ct)).Named("delete-endpoint");
        api.MapPut("/endpoints/{name}/targets/{id}", (string name, string id, HttpRequest request, [FromServices] IControlStore store, [FromServices] DesiredStateGate gate, [FromServices] EndpointWriteRules rules, CancellationToken ct) => PutTargetAsync(store, gate, rules, ApiNames.Endpoint(name), id, request, ct)).Produces<EndpointView>().Named("put-target");
        api.MapDelete("/endpoints/{name}/targets/{id}", (string name, string id, [FromServices] IControlStore store, [FromServices] DesiredStateGate gate, CancellationToken ct) => DeleteTargetAsync(store, gate, ApiNames.Endpoint(name), id, ct)).Named("delete-target");
        api.MapPost("/health/observations", (HttpRequest request, [FromServices] ObservationIntake intake) => ObserveAsync(intake, request)).Produces<ObservationView>(StatusCodes.Status202Accepted).Named("observe");
        api.MapPost("/endpoints/{name}/plan/dry-run", async (string name, [FromServices] HoldfastActions actions, CancellationToken ct) => ApiResults.From(await actions.DryRunAsync(ApiNames.Endpoint(name), ct))).Produces<DryRunView>().Named("dry-run");
        api.MapPost("/freeze", (HttpRequest request, [FromServices] HoldfastActions actions, CancellationToken ct) => FreezeAsync(actions, request, freeze: true, ct)).Produces<FreezeView>().Named("freeze");
        api.MapPost("/unfreeze", (HttpRequest request, [FromServices] HoldfastActions actions, CancellationToken ct) => FreezeAsync(actions, request, freeze: false, ct)).Produces<FreezeView>().Named("unfreeze");
        api.MapPost("/endpoints/{name}/rollback", (string name, HttpRequest request, [FromServices] HoldfastActions actions, CancellationToken ct) => RollbackAsync(actions, ApiNames.Endpoint(name), request, ct)).Produces<RollbackView>().Named("rollback");
        api.MapPost("/endpoints/{name}/resume", (string name, HttpRequest request, [FromServices] HoldfastActions actions, CancellationToken ct) => ResumeAsync(actions, ApiNames.Endpoint(name), request, ct)).Produces<PlanView>().Named("resume");
        api.MapPost("/demo/targets/{name}/{id}", async (string name, string id, HttpRequest request, [FromServices] IReadOnlyDictionary<string, DemoHealthListener> demoTargets) =>
        {
            var (body, error) = await ApiResults.ReadAsync<DemoRequest>(request);
            if (body is null)
            {
                return error!;
            }

            if (!demoTargets.TryGetValue(HealthView.Key(ApiNames.Endpoint(name), id), out var listener))
            {
                return ApiResults.NotFound($"no demo health listener for target '{id}' of '{ApiNames.Endpoint(name)}' (only with holdfast up --demo)");
            }

            listener.StatusCode = body.Healthy ? 200 : 503;
            return TypedResults.NoContent();
        }).Named("demo-target");
        api.MapPost("/zones/{apex}/self-preservation/release", (string apex, HttpRequest request, [FromServices] HoldfastActions actions, CancellationToken ct) => ReleaseAsync(actions, ApiNames.Endpoint(apex), request, ct)).Named("release-self-preservation");
    }

    private static async Task<IResult> PutEndpointAsync(IControlStore store, EndpointWriteRules rules, string name, HttpRequest request, CancellationToken ct)
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
            var zones = (await store.ListZonesAsync(ct)).Select(z => z.Spec.Apex).ToHashSet(StringComparer.Ordinal);
            ConfigRules.CheckEndpoint(endpoint, "", zones, rules.Azs, rules.Sources, (path, message) => errors.Add(new ConfigError(path, JsonConfigReader.Location, message)));
        }

        if (errors.Count > 0 || endpoint is null)
        {
            return ApiResults.BadRequest([.. errors.Select(e => (e.Path, e.Message))]);
        }

        // One store call: the spec carries its targets' health checks; the store audits the put in the same transaction.
        var outcome = await store.PutEndpointAsync(DesiredState.ToSpec(endpoint), DefaultActor, ct);
        var created = outcome == EndpointWriteOutcome.Created;
        var view = await EndpointViewAsync(store, name, ct);
        return created ? TypedResults.Created($"/api/v1/endpoints/{name}", view) : TypedResults.Ok(view);
    }

    private static async Task<IResult> PutTargetAsync(IControlStore store, DesiredStateGate gate, EndpointWriteRules rules, string name, string id, HttpRequest request, CancellationToken ct)
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
            ConfigRules.CheckTarget(target, "", rules.Azs, rules.Sources, (path, message) => errors.Add(new ConfigError(path, JsonConfigReader.Location, message)));
        }

        if (errors.Count > 0 || target is null)
        {
            return ApiResults.BadRequest([.. errors.Select(e => (e.Path, e.Message))]);
        }

        var outcome = await gate.RunAsync<IResult?>(async () =>
        {
            var spec = await store.GetEndpointAsync(name, ct);
            if (spec is null)
            {
                return ApiResults.NotFound($"endpoint '{name}' does not exist");
            }

            var replaced = spec.FindTarget(id) is not null;
            var targets = replaced ? spec.Targets.Select(t => t.Id == id ? DesiredState.ToTarget(target) : t) : spec.Targets.Append(DesiredState.ToTarget(target));
            await store.PutEndpointAsync(spec with { Targets = [.. targets] }, DefaultActor, ct);
            return null;
        }, ct);
        return outcome ?? TypedResults.Ok(await EndpointViewAsync(store, name, ct));
    }

    /// <summary>Deletes the endpoint with its plans and applied state, in one audited store transaction: its name then answers NXDOMAIN.</summary>
    private static async Task<IResult> DeleteEndpointAsync(IControlStore store, string name, CancellationToken ct) =>
        await store.DeleteEndpointAsync(name, DefaultActor, ct)
            ? TypedResults.NoContent()
            : ApiResults.NotFound($"endpoint '{name}' does not exist");

    private static async Task<IResult> DeleteTargetAsync(IControlStore store, DesiredStateGate gate, string name, string id, CancellationToken ct) =>
        await gate.RunAsync(async () =>
        {
            var spec = await store.GetEndpointAsync(name, ct);
            if (spec?.FindTarget(id) is null)
            {
                return ApiResults.NotFound(spec is null ? $"endpoint '{name}' does not exist" : $"target '{id}' of '{name}' does not exist");
            }

            if (spec.Targets.Length == 1)
            {
                return ApiResults.Conflict($"'{id}' is the only target of '{name}': an endpoint never goes empty; delete the endpoint instead");
            }

            await store.PutEndpointAsync(spec with { Targets = [.. spec.Targets.Where(t => t.Id != id)] }, DefaultActor, ct);
            return TypedResults.NoContent();
        }, ct);

    private static async Task<EndpointView> EndpointViewAsync(IControlStore store, string name, CancellationToken ct)
    {
        var stored = await store.ReadEndpointAsync(name, EndpointParts.All, ct);
        var spec = stored.Spec ?? throw new InvalidOperationException(name + " vanished while being written");
        return ApiViews.Endpoint(spec, stored.Applied, stored.Plans, await store.GetFreezeAsync(ct));
    }

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

    private static async Task<IResult> ReleaseAsync(HoldfastActions actions, string apex, HttpRequest request, CancellationToken ct)
    {
        var (body, actor, error) = await ReadReasonedAsync<ResumeRequest>(request);
        if (body is null)
        {
            return error!;
        }

        return await actions.ReleaseSelfPreservationAsync(apex, body.Reason!, actor, ct) is { } problem ? ApiResults.From(problem) : TypedResults.NoContent();
    }
}
