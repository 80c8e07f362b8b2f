using System.Globalization;
using System.Text.Json;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Holdfast.Server.Api;

public static partial class HoldfastApi
{
    private const int MaxEvents = 1000;

    private static void MapEvents(RouteGroupBuilder api, HoldfastHost host)
    {
        api.MapGet("/events", async (string? after, string? limit, CancellationToken ct) =>
        {
            var errors = new List<(string, string)>();
            var from = ParseCount(after, "after", 0, long.MaxValue, 0, errors);
            var max = ParseCount(limit, "limit", 1, MaxEvents, 100, errors);
            if (errors.Count > 0)
            {
                return ApiResults.BadRequest(errors);
            }

            var entries = await host.Store.ReadAuditAsync(from, (int)max, ct);
            return TypedResults.Ok(entries.Select(ApiViews.Event).ToList());
        }).Produces<EventView[]>().Named("events");

        api.MapGet("/events/stream", (HttpContext context, string? after, string? endpoint, string? kind) => StreamAsync(host, context, after, endpoint, kind)).Named("events-stream");
    }

    private static long ParseCount(string? text, string field, long min, long max, long fallback, List<(string, string)> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add((field, $"expected a whole number from {min} to {max}, got '{text}'"));
        return fallback;
    }

    /// <summary>
    /// Server-sent events (text/event-stream): every audit entry after <c>after</c> (or the <c>Last-Event-ID</c>
    /// header a reconnecting client sends; default: only new ones) as <c>id: SEQ</c> and one <c>data:</c> JSON
    /// line; with <c>endpoint</c> only entries about that endpoint (or zone), with <c>kind</c> only kinds starting with
    /// it (<c>alarm.</c>, <c>health.</c>). A comment line every 15 s keeps proxies from closing an idle stream.
    /// </summary>
    /// <remarks>
    /// The stream sleeps until something can have been appended: the store's change feed moves for every mutation (each
    /// audits in its own transaction), and the host's event recorder completes <see cref="EventRecorder.NextAppend"/> for
    /// the audit-only entries (health, guardrail decisions, alarms). Both are taken before the audit log is read, so that
    /// nothing appended in between is missed; an entry appended by neither path is still sent at the next keep-alive.
    /// </remarks>
    private static async Task StreamAsync(HoldfastHost host, HttpContext context, string? after, string? endpoint, string? kind)
    {
        var ct = context.RequestAborted;
        var resume = after ?? context.Request.Headers["Last-Event-ID"].ToString();
        long from;
        if (string.IsNullOrEmpty(resume))
        {
            from = await host.Store.GetLastAuditSequenceAsync(ct);
        }
        else if (!long.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            await ApiResults.BadRequest("after", $"expected an event sequence number, got '{resume}'").ExecuteAsync(context);
            return;
        }

        var about = string.IsNullOrWhiteSpace(endpoint) ? null : ApiNames.Endpoint(endpoint);
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(": holdfast events\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
        var keepAlive = TimeSpan.FromSeconds(15);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var appended = host.Events.NextAppend;
                var revision = await host.Store.GetRevisionAsync(ct);
                var entries = await host.Store.ReadAuditAsync(from, 256, ct);
                foreach (var entry in entries)
                {
                    from = entry.Sequence;
                    if ((about is null || entry.Endpoint == about) && (kind is null || entry.Action.StartsWith(kind, StringComparison.Ordinal)))
                    {
                        var data = JsonSerializer.Serialize(ApiViews.Event(entry), json);
                        await context.Response.WriteAsync($"id: {entry.Sequence.ToString(CultureInfo.InvariantCulture)}\ndata: {data}\n\n", ct);
                    }
                }

                if (entries.Count > 0)
                {
                    await context.Response.Body.FlushAsync(ct);
                    continue;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var changed = host.Store.WaitForChangeAsync(revision, keepAlive, wait.Token);
                if (await Task.WhenAny(appended, changed) == changed && host.Events.NextAppend == appended && await host.Store.GetRevisionAsync(ct) == revision)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                }

                await wait.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the host is stopping.
        }
    }
}
