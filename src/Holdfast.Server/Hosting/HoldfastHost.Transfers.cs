using Holdfast.Dns.Transfer;
using Holdfast.Dns.Zones;
using Holdfast.Server.Configuration;
using Holdfast.Server.Static;

namespace Holdfast.Server.Hosting;

/// <summary>The zone files' static records, zone transfers (AXFR/IXFR to zones[].allowTransfer) and NOTIFY (to zones[].notify).</summary>
public sealed partial class HoldfastHost
{
    private StaticZoneVersions? _staticVersions;

    internal ZoneTransferHandler Transfers { get; private set; } = null!;

    internal ZoneNotifier? Notifier { get; private set; }

    /// <summary>How many times the static records of <paramref name="apex"/> have changed (part of its serial); 0 without zone files.</summary>
    internal long StaticChanges(string apex) => Feed.Statics.GetValueOrDefault(apex)?.Changes ?? 0;

    /// <summary>Per zone: its allowed transfer clients and its NOTIFY targets; nobody else gets a transfer. With dns.tsig, signed only.</summary>
    internal static ZoneTransferOptions TransferOptions(HoldfastOptions options) => new()
    {
        Zones = [.. options.Zones.Select(z => new ZoneTransferPeers(z.Apex, z.AllowTransfer, z.Notify))],
        TsigKeys = options.Dns.Tsig is { } key ? [key] : [],
        RequireTsig = options.Dns.Tsig is not null,
        NotifyKeyName = options.Dns.Tsig?.NameText,
    };

    /// <summary>Made before the zones are first built, so that the IXFR journal holds every snapshot served.</summary>
    private void StartTransfers(HoldfastOptions options)
    {
        Transfers = new ZoneTransferHandler(Engine, TransferOptions(options), Time);
        Transfers.Served += entry => HostLog.TransferServed(Logger, StaticZoneHost.TransferLine(entry));
        _staticVersions = StaticZoneVersions.Open(options.DataDirectory);
    }

    /// <summary>After the first build: zones present at start are not announced (secondaries ask on their own refresh).</summary>
    private void StartNotifier(HoldfastOptions options)
    {
        if (options.Zones.Any(z => !z.Notify.IsEmpty))
        {
            Notifier = new ZoneNotifier(Engine, TransferOptions(options), Time, new Random(_settings.Seed + 3));
            Notifier.Completed += n => HostLog.NotifyCompleted(Logger, n.Zone, n.Serial, n.Target.ToString(), n.Result.ToString().ToLowerInvariant(), n.Attempts);
        }
    }

    /// <summary>
    /// Reads every zone's files and, when all are good, makes them the static records the feed serves (the change
    /// counts persisted first). When any is bad nothing changes and the problems (<c>file:line: message</c>) are returned.
    /// </summary>
    private List<string> LoadStaticZones(HoldfastOptions options)
    {
        var read = new Dictionary<string, IReadOnlyList<ZoneRecord>>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var zone in options.Zones)
        {
            if (ConfigRules.TryReadZoneFiles(zone, options.Endpoints, out var records, out var errors))
            {
                read[zone.Apex] = records;
            }
            else
            {
                problems.AddRange(errors);
            }
        }

        if (problems.Count > 0)
        {
            HostLog.StaticZonesRefused(Logger, string.Concat(problems.Select(p => "\n  " + p)));
            return problems;
        }

        var statics = _staticVersions!.Advance(read);
        Feed.SetStatic(statics);
        var summary = string.Join("; ", statics.Where(s => s.Value.Records.Count > 0).Select(s => $"{s.Key} {s.Value.Records.Count} records, {s.Value.Changes} change(s)"));
        if (summary.Length > 0)
        {
            HostLog.StaticZonesLoaded(Logger, summary);
        }

        return [];
    }

    private async ValueTask StopTransfersAsync()
    {
        if (Notifier is not null)
        {
            await Notifier.DisposeAsync();
        }

        Transfers?.Dispose();
    }
}
