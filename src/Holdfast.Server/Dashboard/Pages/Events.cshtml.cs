using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Api;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Holdfast.Server.Dashboard.Pages;

/// <summary>Events: the newest audit, guardrail and alarm entries, filtered by kind prefix and endpoint, live through the event stream.</summary>
public sealed class EventsModel : DashboardPageModel
{
    /// <summary>How far back a filter looks (newest entries), and the most rows shown.</summary>
    public const int Window = 2000;
    public const int Shown = 100;

    public static readonly IReadOnlyList<(string Prefix, string Label)> Kinds =
    [
        ("", "everything"), ("alarm.", "alarms"), ("guardrail.", "guardrail decisions"), ("health.", "health changes"),
        ("plan.", "plans"), ("apply.", "applies"), ("freeze.", "freezes"), ("rollback.", "rollbacks"), ("endpoint.", "desired state"),
    ];

    private readonly IControlStore _store;

    public EventsModel(DashboardSession session, HoldfastHost host)
        : base(session)
    {
        _store = host.Store;
    }

    public string Kind { get; private set; } = "";

    public string Endpoint { get; private set; } = "";

    public IReadOnlyList<EventView> Rows { get; private set; } = [];

    public string StreamUrl => "/api/v1/events/stream?" + string.Join('&', new[] { Kind.Length > 0 ? "kind=" + Uri.EscapeDataString(Kind) : null, Endpoint.Length > 0 ? "endpoint=" + Uri.EscapeDataString(Endpoint) : null }.Where(p => p is not null));

    public string RowsUrl => "/ui/events?handler=Rows&kind=" + Uri.EscapeDataString(Kind) + "&endpoint=" + Uri.EscapeDataString(Endpoint);

    public async Task OnGetAsync(string? kind, string? endpoint) => await LoadAsync(kind, endpoint);

    public async Task<IActionResult> OnGetRowsAsync(string? kind, string? endpoint)
    {
        await LoadAsync(kind, endpoint);
        return Partial("_EventRows", Rows);
    }

    private async Task LoadAsync(string? kind, string? endpoint)
    {
        Kind = Kinds.Any(k => k.Prefix == kind) ? kind! : "";
        Endpoint = string.IsNullOrWhiteSpace(endpoint) ? "" : ApiNames.Endpoint(endpoint);
        var ct = HttpContext.RequestAborted;
        if (Endpoint.Length > 0)
        {
            // The store's per-endpoint read: newest first already.
            Rows = [.. (await _store.ReadAuditForAsync(Endpoint, Window, ct)).Where(Matches).Take(Shown).Select(ApiViews.Event)];
            return;
        }

        var last = await _store.GetLastAuditSequenceAsync(ct);
        var entries = await _store.ReadAuditAsync(Math.Max(0, last - Window), Window, ct);
        Rows = [.. entries.Where(Matches).Reverse().Take(Shown).Select(ApiViews.Event)];
    }

    private bool Matches(AuditEntry entry) => Kind.Length == 0 || entry.Action.StartsWith(Kind, StringComparison.Ordinal);
}
