using Holdfast.Server.Api;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Holdfast.Server.Dashboard.Pages;

/// <summary>Overview: readiness and why, listeners, enactors and their lag, freezes, alarms, the guardrail chart, endpoint counts; the global freeze.</summary>
public sealed class IndexModel : DashboardPageModel
{
    private readonly HoldfastReads _reads;
    private readonly HoldfastActions _actions;
    private readonly GuardrailTimeline _timeline;

    public IndexModel(DashboardSession session, HoldfastReads reads, HoldfastActions actions, GuardrailTimeline timeline, HoldfastHost host)
        : base(session)
    {
        _reads = reads;
        _actions = actions;
        _timeline = timeline;
        Now = host.Time.GetUtcNow();
        GlobalFreezeReason = null;
    }

    public DateTimeOffset Now { get; }

    public StatusView Status { get; private set; } = null!;

    public EndpointCountsView Counts { get; private set; } = null!;

    public IReadOnlyList<(DateTimeOffset Minute, int[] Counts)> Timeline { get; private set; } = [];

    public string? GlobalFreezeReason { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnGetLiveAsync()
    {
        await LoadAsync();
        return Partial("_Overview", this);
    }

    public async Task OnPostFreezeAsync(string? reason) => await ActAsync(freeze: true, reason);

    public async Task OnPostUnfreezeAsync(string? reason) => await ActAsync(freeze: false, reason);

    private async Task ActAsync(bool freeze, string? reason)
    {
        if (await MayActAsync())
        {
            Report(await _actions.FreezeAsync(null, freeze, reason, Actor, HttpContext.RequestAborted), _ => freeze
                ? $"everything frozen by {Actor}: no plan is applied until unfrozen; DNS keeps serving"
                : $"global freeze cleared by {Actor}");
        }

        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Status = await _reads.StatusAsync(ct);
        Counts = await _reads.CountsAsync(ct);
        Timeline = _timeline.Snapshot();
    }
}
