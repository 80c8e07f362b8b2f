using System.Net;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Holdfast.Server.Api;

/// <summary>
/// The HTTP API (routes in docs/operations.md and the team's api.md): reads are open to loopback clients
/// (and to everyone with <c>api.allowRemoteReads</c>), every other method needs <c>Authorization: Bearer
/// &lt;token&gt;</c>. <c>/healthz</c> and <c>/readyz</c> are open to every client, so a load balancer or
/// supervisor on another host can probe them.
/// </summary>
public static partial class HoldfastApi
{
    public static void MapHoldfastApi(this WebApplication app, HoldfastHost host)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(host);
        app.Use((context, next) => GuardAsync(context, next, host));
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        app.MapGet("/readyz", (CancellationToken ct) => ReadyAsync(host, ct));
        app.MapOpenApi();

        var api = app.MapGroup("/api/v1");
        MapReads(api, host, app.Services.GetRequiredService<HoldfastReads>());
        MapWrites(api);
        MapEvents(api, host);
    }

    private static async Task GuardAsync(HttpContext context, RequestDelegate next, HoldfastHost host)
    {
        var path = context.Request.Path;
        var open = path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
        if (!host.ControlStarted && !open && !path.StartsWithSegments("/metrics"))
        {
            // A node restarted while its store is unreachable serves DNS from its local copy; nothing else can answer yet.
            await TypedResults.Problem(
                detail: (host.Degraded ?? "the control plane is starting") + "; /readyz says more",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "not started").ExecuteAsync(context);
            return;
        }

        var reading = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        // The dashboard's forms act with the token kept in its sign-in cookie (DashboardSession), not a bearer header;
        // reading its pages follows the rule of every read.
        var dashboard = path.StartsWithSegments("/ui");
        if (!reading && !dashboard)
        {
            var header = context.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
            if (!ApiToken.Matches(host.Token, token))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await TypedResults.Problem(
                    detail: token is null
                        ? $"this call changes state and needs 'Authorization: Bearer <token>'; the token is in {host.TokenPath}"
                        : "the bearer token is not the one in the data directory",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "unauthorized").ExecuteAsync(context);
                return;
            }
        }

        if ((reading || dashboard) && !open && !host.Options.Api.AllowRemoteReads && context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
        {
            await TypedResults.Problem(detail: "reads are served to loopback clients only (set api.allowRemoteReads: true to open them)", statusCode: StatusCodes.Status403Forbidden, title: "forbidden").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static async Task<IResult> ReadyAsync(HoldfastHost host, CancellationToken ct)
    {
        var reasons = await host.NotReadyReasonsAsync(ct);
        return reasons.Count == 0
            ? TypedResults.Text("ready")
            : TypedResults.Problem(detail: string.Join("; ", reasons), statusCode: StatusCodes.Status503ServiceUnavailable, title: "not ready", extensions: new Dictionary<string, object?> { ["reasons"] = reasons });
    }

    private static RouteHandlerBuilder Named(this RouteHandlerBuilder builder, string name) => builder.WithName(name);
}
