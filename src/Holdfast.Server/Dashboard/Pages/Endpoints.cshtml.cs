using Holdfast.Server.Api;

namespace Holdfast.Server.Dashboard.Pages;

/// <summary>Endpoints: search by name prefix and page through them, one store page at a time (fast at any count).</summary>
public sealed class EndpointsModel : DashboardPageModel
{
    public const int PageSize = 50;
    private readonly HoldfastReads _reads;

    public EndpointsModel(DashboardSession session, HoldfastReads reads)
        : base(session)
    {
        _reads = reads;
    }

    /// <summary>The name prefix searched for, as typed.</summary>
    public string Query { get; private set; } = "";

    public string? After { get; private set; }

    public IReadOnlyList<EndpointSummaryView> Items { get; private set; } = [];

    public string? Next { get; private set; }

    public int Total { get; private set; }

    public async Task OnGetAsync(string? q, string? after)
    {
        Query = (q ?? "").Trim();
        After = string.IsNullOrEmpty(after) ? null : after;
        var prefix = Query.ToLowerInvariant();
        (Items, Next) = await _reads.EndpointSummariesAsync(prefix, After, PageSize, HttpContext.RequestAborted);
        Total = (await _reads.CountsAsync(HttpContext.RequestAborted)).Total;
    }
}
