using System.Net;
using Holdfast.Dns.Transfer;

namespace Holdfast.Server.Static;

/// <summary>One zone served from a master file: its apex (the file's initial $ORIGIN) and the file's path.</summary>
public sealed record StaticZoneSource(string Origin, string File);

/// <summary>
/// What <c>holdfast serve</c> serves and where: master files only, no control plane (like nsd or knotd).
/// Built by <see cref="StaticZoneArguments"/>, which validates every value.
/// </summary>
public sealed record StaticZoneOptions
{
    /// <summary>The zones, at least one; apexes are distinct.</summary>
    public required IReadOnlyList<StaticZoneSource> Zones { get; init; }

    /// <summary>UDP and TCP listen address; port 0 picks a free port (printed at start). Default 127.0.0.1:5353.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 5353);

    /// <summary>Client prefixes allowed to transfer the zones (AXFR/IXFR). Default: none (transfers refused).</summary>
    public IReadOnlyList<IPNetwork> AllowTransfer { get; init; } = [];

    /// <summary>Secondaries to NOTIFY on every serial change (RFC 1996). Default: none.</summary>
    public IReadOnlyList<IPEndPoint> Notify { get; init; } = [];

    /// <summary>
    /// When set, transfers must be signed with this key (an allowed prefix is still needed) and NOTIFY messages
    /// are signed with it, so a secondary whose ACL names the key accepts them. Default: none (unsigned).
    /// </summary>
    public TsigKey? TsigKey { get; init; }

    /// <summary>
    /// When set, the IXFR journal of each zone is kept in this directory (<c>&lt;apex&gt;.journal</c>) and read back at
    /// start, so a secondary behind by a few serials still gets IXFR after a restart. Default none: the journal lives
    /// in memory only (serve has no data directory of its own).
    /// </summary>
    public string? JournalDirectory { get; init; }

    /// <summary>The transfer handler's and notifier's settings.</summary>
    public ZoneTransferOptions Transfers => new()
    {
        AllowTransfer = AllowTransfer,
        NotifyTargets = Notify,
        TsigKeys = TsigKey is null ? [] : [TsigKey],
        RequireTsig = TsigKey is not null,
        NotifyKeyName = TsigKey?.NameText,
    };
}
