using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// Who may transfer zones, whom to notify, which TSIG keys sign transfers, and how much change history IXFR
/// keeps. Passed to <see cref="ZoneTransferHandler"/> and <see cref="ZoneNotifier"/>; check with
/// <see cref="Validate"/> at start-up.
/// </summary>
public sealed record ZoneTransferOptions
{
    /// <summary>Client prefixes allowed to AXFR/IXFR. Empty (the default) allows no one: transfers are opt-in, as in Knot and NSD.</summary>
    public IReadOnlyList<IPNetwork> AllowTransfer { get; init; } = [];

    /// <summary>Secondaries sent a NOTIFY (UDP) on every serial change, as ADDRESS:PORT. Default none.</summary>
    public IReadOnlyList<IPEndPoint> NotifyTargets { get; init; } = [];

    /// <summary>
    /// Per-zone clients and NOTIFY targets; a zone listed here uses its own lists instead of
    /// <see cref="AllowTransfer"/> and <see cref="NotifyTargets"/>. Default none: every zone uses the global lists.
    /// </summary>
    public IReadOnlyList<ZoneTransferPeers> Zones { get; init; } = [];

    /// <summary>TSIG keys accepted on requests (and used to sign the answers to them). Default none.</summary>
    public IReadOnlyList<TsigKey> TsigKeys { get; init; } = [];

    /// <summary>Name of a key in <see cref="TsigKeys"/> that signs outgoing NOTIFY messages (for secondaries whose NOTIFY ACL names a key). Default none: unsigned.</summary>
    public string? NotifyKeyName { get; init; }

    /// <summary>When true, an AXFR/IXFR without a valid TSIG signature is refused even from an allowed prefix. Default false.</summary>
    public bool RequireTsig { get; init; }

    /// <summary>Changes (serial steps) kept per zone for IXFR; older serials get a full transfer. Default 32.</summary>
    [Range(0, 10_000)]
    public int JournalDepth { get; init; } = 32;

    /// <summary>Records (deleted plus added) kept per zone in the journal; the oldest changes go first. Default 1,000,000.</summary>
    [Range(0, int.MaxValue)]
    public int JournalMaxRecords { get; init; } = 1_000_000;

    /// <summary>
    /// The most a zone's journal takes, in octets of its file (<see cref="ZoneJournalFile"/>): a persistent journal's
    /// file never grows past it, and the steps kept (in memory too) are at most half of it, the oldest dropped first.
    /// Default 100 MiB (Knot's <c>journal-max-usage</c>). At least <see cref="MinJournalMaxBytes"/>.
    /// </summary>
    [Range(MinJournalMaxBytes, long.MaxValue)]
    public long JournalMaxBytes { get; init; } = 100L << 20;

    /// <summary>The smallest <see cref="JournalMaxBytes"/>: 64 KiB, room for the header and a few steps.</summary>
    public const long MinJournalMaxBytes = 64 << 10;

    /// <summary>Largest transfer message over TCP; at most 65535 (RFC 1035 §4.2.2). Default 65535.</summary>
    [Range(512, 65535)]
    public int MaxMessageSize { get; init; } = 65535;

    /// <summary>RFC 1996 §3.6: wait this long for a NOTIFY answer before the first retry; doubles each try. Default 2 seconds.</summary>
    public TimeSpan NotifyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>NOTIFY tries per target and serial before giving up (RFC 1996 §3.6 suggests about 5). Default 5.</summary>
    [Range(1, 100)]
    public int NotifyAttempts { get; init; } = 5;

    /// <summary>RFC 8945 §5.2.3: the fudge we allow and send, in seconds. Default 300.</summary>
    [Range(0, 65535)]
    public int TsigFudgeSeconds { get; init; } = 300;

    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        var context = new ValidationContext(this);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, context, results, validateAllProperties: true))
        {
            throw new ArgumentException($"zone transfer options: {string.Join("; ", results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"))}");
        }

        if (NotifyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"zone transfer options: NotifyTimeout must be positive, was {NotifyTimeout}");
        }

        if (RequireTsig && TsigKeys.Count == 0)
        {
            throw new ArgumentException("zone transfer options: RequireTsig is set but TsigKeys is empty");
        }

        if (NotifyKeyName is not null && NotifyKey is null)
        {
            throw new ArgumentException($"zone transfer options: NotifyKeyName {NotifyKeyName} is not one of TsigKeys");
        }

        var duplicate = TsigKeys.GroupBy(k => k.NameText, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"zone transfer options: TSIG key {duplicate.Key} given twice");
        }

        var twice = Zones.GroupBy(z => z.Apex, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"zone transfer options: Zones: {twice.Key} given twice");
        }

        foreach (var target in NotifyTargets.Concat(Zones.SelectMany(z => z.NotifyTargets)))
        {
            if (target.Port == 0)
            {
                throw new ArgumentException($"zone transfer options: NotifyTargets: {target} has no port");
            }
        }
    }

    /// <summary>The key named by <see cref="NotifyKeyName"/>, or null.</summary>
    public TsigKey? NotifyKey =>
        NotifyKeyName is null ? null : TsigKeys.FirstOrDefault(k => k.Name.AsSpan().SequenceEqual(Names.WireName.FromText(NotifyKeyName)));

    /// <summary>True when <paramref name="client"/> lies in one of <see cref="AllowTransfer"/> (IPv4-mapped IPv6 counts as IPv4).</summary>
    public bool IsAllowed(IPAddress client) => IsAllowed(AllowTransfer, client);

    /// <summary>True when <paramref name="client"/> may transfer the zone <paramref name="apex"/>: its own list when <see cref="Zones"/> has one, else <see cref="AllowTransfer"/>.</summary>
    public bool IsAllowed(string apex, IPAddress client) => IsAllowed(PeersOf(apex)?.AllowTransfer ?? AllowTransfer, client);

    /// <summary>The secondaries to NOTIFY of a change of <paramref name="apex"/>: its own list when <see cref="Zones"/> has one, else <see cref="NotifyTargets"/>.</summary>
    public IReadOnlyList<IPEndPoint> NotifyTargetsFor(string apex) => PeersOf(apex)?.NotifyTargets ?? NotifyTargets;

    private ZoneTransferPeers? PeersOf(string apex)
    {
        foreach (var zone in Zones)
        {
            if (string.Equals(zone.Apex, apex, StringComparison.OrdinalIgnoreCase))
            {
                return zone;
            }
        }

        return null;
    }

    private static bool IsAllowed(IReadOnlyList<IPNetwork> allowed, IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        foreach (var prefix in allowed)
        {
            if (prefix.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
