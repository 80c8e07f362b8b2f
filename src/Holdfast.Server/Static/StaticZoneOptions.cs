using System.Net;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Transport;

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

    /// <summary><c>--nsid</c> (the host's <c>dns.nsid</c>): the identifier answered to NSID queries (RFC 5001), 1 to 128 ASCII octets. Default none.</summary>
    public byte[]? Nsid { get; init; }

    /// <summary>
    /// <c>--cookie-secret</c> (the host's <c>dns.cookieSecret</c>): the 16-octet SipHash-2-4 key of server cookies
    /// (RFC 9018). Default none: a secret is drawn at start, so cookies work, per process.
    /// </summary>
    public byte[]? CookieSecret { get; init; }

    /// <summary>
    /// <c>--rate-limit…</c> (the host's <c>dns.rateLimit</c>): response rate limiting of UDP answers, on by default with
    /// loopback exempt, as in the host. Null when <c>--rate-limit off</c>.
    /// </summary>
    public RateLimitOptions? RateLimit { get; init; } = new();
}
