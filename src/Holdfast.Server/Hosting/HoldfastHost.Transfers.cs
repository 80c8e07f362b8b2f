using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Serving;
using Holdfast.Dns.Transfer;
using Holdfast.Server.Configuration;
using Holdfast.Server.Static;

namespace Holdfast.Server.Hosting;

/// <summary>The zone files' static records, zone transfers (AXFR/IXFR to zones[].allowTransfer) and NOTIFY (to zones[].notify).</summary>
public sealed partial class HoldfastHost
{
    internal ZoneTransferHandler Transfers { get; private set; } = null!;

    internal ZoneNotifier? Notifier { get; private set; }

    /// <summary>The IXFR history of every zone, kept in <see cref="JournalDirectory"/> across restarts.</summary>
    internal ZoneJournal Journal { get; private set; } = null!;

    /// <summary><c>dataDirectory/journal</c>: one <c>&lt;apex&gt;.journal</c> file per zone served.</summary>
    internal static string JournalDirectory(HoldfastOptions options) => Path.Combine(options.DataDirectory, "journal");

    /// <summary>How many times the zone files' content of <paramref name="apex"/> changed (as the store counts it); 0 without files.</summary>
    internal async Task<long> StaticChangesAsync(string apex) => (await Store.GetZoneAsync(apex))?.StaticChanges ?? 0;

    /// <summary>Per zone: its allowed transfer clients and its NOTIFY targets; nobody else gets a transfer. With dns.tsig, signed only.</summary>
    internal static ZoneTransferOptions TransferOptions(HoldfastOptions options) => new()
    {
        Zones = [.. options.Zones.Select(z => new ZoneTransferPeers(z.Apex, z.AllowTransfer, z.Notify))],
        TsigKeys = options.Dns.Tsig is { } key ? [key] : [],
        RequireTsig = options.Dns.Tsig is not null,
        NotifyKeyName = options.Dns.Tsig?.NameText,
        JournalDepth = options.Dns.JournalDepth,
        JournalMaxBytes = options.Dns.JournalMaxBytes,
    };

    /// <summary>
    /// Made before the zones are first built, so that the IXFR journal holds every snapshot served. Each zone's history is
    /// read back from its file at the first build and kept when it ends at the zone served: the serial derives from the
    /// store's serving revision (<c>StoredZone.Serial</c>), so a restart on the same store serves the same serial and
    /// content, and a secondary a few serials behind still gets IXFR.
    /// </summary>
    private void StartTransfers(HoldfastOptions options)
    {
        Journal = ZoneJournal.Persistent(JournalDirectory(options), TransferOptions(options), Time);
        Journal.Noticed += notice =>
        {
            if (notice.IsProblem)
            {
                HostLog.JournalProblem(Logger, notice.ToString());
            }
            else
            {
                HostLog.JournalRead(Logger, notice.ToString());
            }
        };
        Transfers = new ZoneTransferHandler(Engine, TransferOptions(options), Time, Journal);
        Transfers.Served += entry => HostLog.TransferServed(Logger, StaticZoneHost.TransferLine(entry));
        Transfers.Served += TransferActivity.Served;
    }

    /// <summary>After the first build: zones present at start are not announced (secondaries ask on their own refresh).</summary>
    private void StartNotifier(HoldfastOptions options)
    {
        if (options.Zones.Any(z => !z.Notify.IsEmpty))
        {
            Notifier = new ZoneNotifier(Engine, TransferOptions(options), Time, new Random(_settings.Seed + 3));
            Notifier.Completed += n => HostLog.NotifyCompleted(Logger, n.Zone, n.Serial, n.Target.ToString(), n.Result.ToString().ToLowerInvariant(), n.Attempts);
            Notifier.Completed += TransferActivity.Notified;
        }
    }

    /// <summary>
    /// Reads every zone's files. When all are good, returns their records by apex (the feed serves a zone's records once
    /// the store holds their digest); when any is bad, returns null and logs the problems (<c>file:line: message</c>).
    /// </summary>
    private Dictionary<string, StaticZoneRecords>? ReadStaticZones(HoldfastOptions options)
    {
        var read = new Dictionary<string, StaticZoneRecords>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var zone in options.Zones)
        {
            // A zone without files has the (empty) records of none: dropping a zone's files changes its digest too.
            if (zone.ZoneFiles.IsEmpty)
            {
                read[zone.Apex] = new StaticZoneRecords([]);
            }
            else if (ConfigRules.TryReadZoneFiles(zone, options.Endpoints, out var records, out var errors))
            {
                read[zone.Apex] = new StaticZoneRecords(records);
            }
            else
            {
                problems.AddRange(errors);
            }
        }

        if (problems.Count > 0)
        {
            HostLog.StaticZonesRefused(Logger, string.Concat(problems.Select(p => "\n  " + p)));
            return null;
        }

        return read;
    }

    /// <summary>Records each zone's file digest in the store: a changed content moves the zone's serial (every node sees it).</summary>
    private async Task RecordStaticZonesAsync(IReadOnlyDictionary<string, StaticZoneRecords> statics, CancellationToken cancellationToken)
    {
        var summary = new List<string>();
        foreach (var (apex, records) in statics)
        {
            var version = await Store.SetStaticZoneAsync(apex, records.Digest, DesiredState.Actor, cancellationToken);
            if (records.Records.Count > 0 || version.Changes > 0)
            {
                summary.Add($"{apex} {records.Records.Count} records, {version.Changes} change(s){(version.Changed ? ", new content" : "")}");
            }
        }

        if (summary.Count > 0)
        {
            HostLog.StaticZonesLoaded(Logger, string.Join("; ", summary));
        }
    }

    private async ValueTask StopTransfersAsync()
    {
        if (Notifier is not null)
        {
            await Notifier.DisposeAsync();
        }

        Transfers?.Dispose();
        if (Journal is not null)
        {
            await Journal.DisposeAsync();
        }
    }
}
