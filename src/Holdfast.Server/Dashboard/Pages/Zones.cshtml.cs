using Holdfast.Server.Api;
using Holdfast.Server.Configuration;
using Holdfast.Server.Hosting;

namespace Holdfast.Server.Dashboard.Pages;

/// <summary>Zones: the serial DNS answers with, NS, zone files, secondaries with their last transfer and NOTIFY.</summary>
public sealed class ZonesModel : DashboardPageModel
{
    private readonly HoldfastReads _reads;
    private readonly HoldfastHost _host;

    public ZonesModel(DashboardSession session, HoldfastReads reads, HoldfastHost host, TransferActivity activity)
        : base(session)
    {
        _reads = reads;
        _host = host;
        Activity = activity;
        Now = host.Time.GetUtcNow();
    }

    public DateTimeOffset Now { get; }

    public TransferActivity Activity { get; }

    public IReadOnlyList<(ZoneView Zone, ZoneOptions? Config)> Zones { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var configured = _host.Options.Zones.ToDictionary(z => z.Apex, StringComparer.Ordinal);
        Zones = [.. (await _reads.ZonesAsync(null, HttpContext.RequestAborted)).Select(z => (z, configured.GetValueOrDefault(z.Apex)))];
    }
}
