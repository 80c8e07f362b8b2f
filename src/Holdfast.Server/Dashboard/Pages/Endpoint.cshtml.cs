using System.Net;
using Holdfast.Server.Api;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Holdfast.Server.Dashboard.Pages;

/// <summary>
/// One endpoint: the live answer as a client resolves it, targets with health per source, plan history with diffs and
/// guardrail decisions, audit events; freeze/unfreeze, rollback (dry-run diff first, then confirm) and resume.
/// </summary>
public sealed class EndpointModel : DashboardPageModel
{
    private readonly HoldfastReads _reads;
    private readonly HoldfastActions _actions;
    private readonly HoldfastHost _host;

    public EndpointModel(DashboardSession session, HoldfastReads reads, HoldfastActions actions, HoldfastHost host)
        : base(session)
    {
        _reads = reads;
        _actions = actions;
        _host = host;
        Now = host.Time.GetUtcNow();
    }

    public DateTimeOffset Now { get; }

    public string Name { get; private set; } = "";

    public EndpointDetailView? Detail { get; private set; }

    public IReadOnlyList<PlanView> Plans { get; private set; } = [];

    public IReadOnlyList<(string Type, string Rcode, IReadOnlyList<IPAddress> Addresses)> Answer { get; private set; } = [];

    /// <summary>The diff asked for with <c>from</c> and <c>to</c>, or why it could not be made.</summary>
    public ApiOutcome<DiffView>? Diff { get; private set; }

    /// <summary>A rollback's dry run, waiting for the operator's confirmation.</summary>
    public RollbackView? Preview { get; private set; }

    public string? RollbackTo { get; private set; }

    public string? RollbackReason { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, string? from, string? to)
    {
        await LoadAsync(name);
        if (Detail is null)
        {
            return NotFound();
        }

        if (from is not null || to is not null)
        {
            Diff = await _reads.DiffAsync(Name, string.IsNullOrWhiteSpace(from) ? null : from, string.IsNullOrWhiteSpace(to) ? null : to, HttpContext.RequestAborted);
        }

        return Page();
    }

    public async Task<IActionResult> OnGetLiveAsync(string name)
    {
        await LoadAsync(name);
        return Detail is null ? NotFound() : Partial("_EndpointLive", this);
    }

    public Task<IActionResult> OnPostFreezeAsync(string name, string? reason) => FreezeAsync(name, freeze: true, reason);

    public Task<IActionResult> OnPostUnfreezeAsync(string name, string? reason) => FreezeAsync(name, freeze: false, reason);

    public async Task<IActionResult> OnPostRollbackPreviewAsync(string name, string? to, string? reason)
    {
        Name = ApiNames.Endpoint(name);
        if (await MayActAsync())
        {
            var outcome = await _actions.RollbackAsync(Name, to, reason, Actor, overrideGuardrails: false, dryRun: true, HttpContext.RequestAborted);
            if (Report(outcome, p => p.Allowed ? $"dry run: nothing written yet. Check the change below, then confirm." : "dry run: this rollback would be refused: " + p.Message))
            {
                Preview = outcome.Value;
                RollbackTo = to;
                RollbackReason = reason;
                NoticeKind = Preview!.Allowed ? "info" : "bad";
            }
        }

        return await PageAsync();
    }

    public async Task<IActionResult> OnPostRollbackAsync(string name, string? to, string? reason)
    {
        Name = ApiNames.Endpoint(name);
        if (await MayActAsync())
        {
            Report(await _actions.RollbackAsync(Name, to, reason, Actor, overrideGuardrails: false, dryRun: false, HttpContext.RequestAborted),
                r => $"rollback written by {Actor}: g{r.Written} carries the records of g{r.Source}; the enactors apply it next");
        }

        return await PageAsync();
    }

    public async Task<IActionResult> OnPostResumeAsync(string name, string? reason)
    {
        Name = ApiNames.Endpoint(name);
        if (await MayActAsync())
        {
            Report(await _actions.ResumeAsync(Name, reason, Actor, HttpContext.RequestAborted), p => $"resumed by {Actor}: the planner owns the endpoint again and wrote g{p.Generation}");
        }

        return await PageAsync();
    }

    private async Task<IActionResult> FreezeAsync(string name, bool freeze, string? reason)
    {
        Name = ApiNames.Endpoint(name);
        if (await MayActAsync())
        {
            Report(await _actions.FreezeAsync(Name, freeze, reason, Actor, HttpContext.RequestAborted), _ => freeze
                ? $"{Name} frozen by {Actor}: no plan is applied to it until unfrozen; DNS keeps serving its live answer"
                : $"{Name} unfrozen by {Actor}");
        }

        return await PageAsync();
    }

    private async Task<IActionResult> PageAsync()
    {
        var status = Response.StatusCode;
        await LoadAsync(Name);
        Response.StatusCode = status;
        return Detail is null ? NotFound() : Page();
    }

    private async Task LoadAsync(string name)
    {
        Name = ApiNames.Endpoint(name);
        var ct = HttpContext.RequestAborted;
        Detail = await _reads.EndpointAsync(Name, ct);
        Plans = await _reads.PlansAsync(Name, ct) ?? [];
        Answer = LiveAnswer.Resolve(_host.Engine, Name);
    }
}
