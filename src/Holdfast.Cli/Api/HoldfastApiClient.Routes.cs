using System.Text.Json;
using Holdfast.Server.Api;

namespace Holdfast.Cli.Api;

/// <summary>
/// The routes of api.md as typed calls, read into the server's own view records (one definition of the
/// wire shape). Names in paths are escaped; generations are plain numbers.
/// </summary>
internal sealed partial class HoldfastApiClient
{
    private const string Base = "api/v1/";

    public Task<ApiResponse<StatusView>> GetStatusAsync(CancellationToken cancellationToken) =>
        GetAsync<StatusView>(Base + "status", cancellationToken);

    public Task<ApiResponse<List<EndpointView>>> GetEndpointsAsync(CancellationToken cancellationToken) =>
        GetAsync<List<EndpointView>>(Base + "endpoints", cancellationToken);

    /// <summary>Every endpoint as the API's JSON, for <c>-o json</c>.</summary>
    public Task<JsonElement> GetEndpointsJsonAsync(CancellationToken cancellationToken) =>
        GetJsonAsync(Base + "endpoints", cancellationToken);

    public Task<ApiResponse<EndpointDetailView>> GetEndpointAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<EndpointDetailView>(Base + "endpoints/" + Escape(name), cancellationToken);

    public Task<ApiResponse<List<TargetView>>> GetTargetsAsync(CancellationToken cancellationToken) =>
        GetAsync<List<TargetView>>(Base + "targets", cancellationToken);

    public Task<ApiResponse<List<PlanView>>> GetPlansAsync(string endpoint, CancellationToken cancellationToken) =>
        GetAsync<List<PlanView>>(Base + "endpoints/" + Escape(endpoint) + "/plans", cancellationToken);

    public Task<ApiResponse<DiffView>> GetDiffAsync(string endpoint, long? from, long? to, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[] { from is { } f ? $"from={f}" : null, to is { } t ? $"to={t}" : null }.Where(q => q is not null));
        return GetAsync<DiffView>(Base + "endpoints/" + Escape(endpoint) + "/diff" + (query.Length > 0 ? "?" + query : string.Empty), cancellationToken);
    }

    public Task<ApiResponse<FreezeView>> FreezeAsync(string? endpoint, string reason, CancellationToken cancellationToken) =>
        PostAsync<FreezeView>(Base + "freeze", new FreezeRequest(endpoint, reason, Actor), cancellationToken);

    public Task<ApiResponse<FreezeView>> UnfreezeAsync(string? endpoint, string reason, CancellationToken cancellationToken) =>
        PostAsync<FreezeView>(Base + "unfreeze", new FreezeRequest(endpoint, reason, Actor), cancellationToken);

    public Task<ApiResponse<RollbackView>> RollbackAsync(string endpoint, string to, string reason, bool dryRun, bool overrideGuardrails, CancellationToken cancellationToken) =>
        PostAsync<RollbackView>(Base + "endpoints/" + Escape(endpoint) + "/rollback", new RollbackRequestBody(to, reason, dryRun, overrideGuardrails, Actor), cancellationToken);

    /// <summary>Ends a rollback's pin: the planner plans the endpoint from desired state and health again.</summary>
    public Task<ApiResponse<PlanView>> ResumeAsync(string endpoint, string reason, CancellationToken cancellationToken) =>
        PostAsync<PlanView>(Base + "endpoints/" + Escape(endpoint) + "/resume", new ResumeRequest(reason, Actor), cancellationToken);

    /// <summary>Lets removals through in a zone where self-preservation holds them (the operator vouches for the monitors).</summary>
    public Task<ApiResponse<JsonElement>> ReleaseSelfPreservationAsync(string zone, string reason, CancellationToken cancellationToken) =>
        PostAsync<JsonElement>(Base + "zones/" + Escape(zone) + "/self-preservation/release", new ResumeRequest(reason, Actor), cancellationToken);

    public Task<ApiResponse<List<EventView>>> GetEventsAsync(long? after, int? limit, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[] { after is { } a ? $"after={a}" : null, limit is { } l ? $"limit={l}" : null }.Where(q => q is not null));
        return GetAsync<List<EventView>>(Base + "events" + (query.Length > 0 ? "?" + query : string.Empty), cancellationToken);
    }

    /// <summary>The live event stream: events after <paramref name="after"/> first (when given), then new ones as they happen.</summary>
    public IAsyncEnumerable<ApiResponse<EventView>> StreamEventsAsync(long? after, CancellationToken cancellationToken) =>
        StreamAsync<EventView>(Base + "events/stream" + (after is { } a ? $"?after={a}" : string.Empty), cancellationToken);

    /// <summary>Who the audit log names for this client's changes: the local user, marked as coming from the CLI.</summary>
    private static string Actor => "cli:" + Environment.UserName;

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
