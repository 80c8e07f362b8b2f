using Holdfast.Cli.Api.Contracts;

namespace Holdfast.Cli.Api;

/// <summary>The routes of api.md as typed calls. Names in paths are escaped; generations are plain numbers.</summary>
internal sealed partial class HoldfastApiClient
{
    private const string Base = "api/v1/";

    public Task<ApiResponse<StatusResponse>> GetStatusAsync(CancellationToken cancellationToken) =>
        GetAsync<StatusResponse>(Base + "status", cancellationToken);

    public Task<ApiResponse<List<EndpointSummary>>> GetEndpointsAsync(CancellationToken cancellationToken) =>
        GetAsync<List<EndpointSummary>>(Base + "endpoints", cancellationToken);

    public Task<ApiResponse<EndpointDetail>> GetEndpointAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<EndpointDetail>(Base + "endpoints/" + Escape(name), cancellationToken);

    public Task<ApiResponse<List<TargetStatus>>> GetTargetsAsync(CancellationToken cancellationToken) =>
        GetAsync<List<TargetStatus>>(Base + "targets", cancellationToken);

    public Task<ApiResponse<List<PlanSummary>>> GetPlansAsync(string endpoint, CancellationToken cancellationToken) =>
        GetAsync<List<PlanSummary>>(Base + "endpoints/" + Escape(endpoint) + "/plans", cancellationToken);

    public Task<ApiResponse<PlanDiff>> GetDiffAsync(string endpoint, long? from, long? to, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[] { from is { } f ? $"from={f}" : null, to is { } t ? $"to={t}" : null }.Where(q => q is not null));
        return GetAsync<PlanDiff>(Base + "endpoints/" + Escape(endpoint) + "/diff" + (query.Length > 0 ? "?" + query : string.Empty), cancellationToken);
    }

    public Task<ApiResponse<System.Text.Json.JsonElement>> FreezeAsync(string? endpoint, string reason, CancellationToken cancellationToken) =>
        PostAsync<System.Text.Json.JsonElement>(Base + "freeze", new FreezeRequest(endpoint, reason), cancellationToken);

    public Task<ApiResponse<System.Text.Json.JsonElement>> UnfreezeAsync(string? endpoint, string reason, CancellationToken cancellationToken) =>
        PostAsync<System.Text.Json.JsonElement>(Base + "unfreeze", new FreezeRequest(endpoint, reason), cancellationToken);

    public Task<ApiResponse<RollbackResponse>> RollbackAsync(string endpoint, RollbackRequest request, CancellationToken cancellationToken) =>
        PostAsync<RollbackResponse>(Base + "endpoints/" + Escape(endpoint) + "/rollback", request, cancellationToken);

    public Task<ApiResponse<List<EventRecord>>> GetEventsAsync(long? after, int? limit, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[] { after is { } a ? $"after={a}" : null, limit is { } l ? $"limit={l}" : null }.Where(q => q is not null));
        return GetAsync<List<EventRecord>>(Base + "events" + (query.Length > 0 ? "?" + query : string.Empty), cancellationToken);
    }

    public IAsyncEnumerable<ApiResponse<EventRecord>> StreamEventsAsync(CancellationToken cancellationToken) =>
        StreamAsync<EventRecord>(Base + "events/stream", cancellationToken);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
