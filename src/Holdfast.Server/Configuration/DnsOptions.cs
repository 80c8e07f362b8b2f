using System.Collections.Immutable;
using System.Net;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Transport;

namespace Holdfast.Server.Configuration;

/// <summary>The <c>dns</c> section.</summary>
public sealed record DnsOptions
{
    /// <summary>Addresses the DNS server answers on, UDP and TCP each (<c>dns.listen</c>). Default <c>[127.0.0.1:5353]</c>.</summary>
    public ImmutableArray<IPEndPoint> Listen { get; init; } = [new IPEndPoint(IPAddress.Loopback, 5353)];

    /// <summary>
    /// <c>dns.tsig</c>, <c>NAME:BASE64SECRET</c>: an HMAC-SHA256 key (RFC 8945). When set, every zone transfer must be
    /// signed with it (from an allowed prefix still) and NOTIFY messages are signed with it. Default none. The secret
    /// can come from the environment (<c>HOLDFAST_DNS__TSIG</c>) rather than the file. Changes take effect on restart.
    /// </summary>
    public TsigKey? Tsig { get; init; }

    /// <summary><c>dns.nsid</c>: the identifier answered to NSID queries (RFC 5001), 1 to 128 ASCII characters. Default none.</summary>
    public string? Nsid { get; init; }

    /// <summary>
    /// <c>dns.cookieSecret</c>: 32 hex digits, the SipHash-2-4 key of server cookies (RFC 9018); give every server of one
    /// name the same secret. Default none: a random secret is drawn at start (cookies still work, per server).
    /// </summary>
    public byte[]? CookieSecret { get; init; }

    /// <summary>
    /// <c>dns.journalDepth</c>: serial steps kept per zone for IXFR (RFC 1995 §4), in <c>dataDirectory/journal/</c> and in
    /// memory; a secondary further behind gets the whole zone. 0 keeps none. Default 32. Changes take effect on restart.
    /// </summary>
    public int JournalDepth { get; init; } = new ZoneTransferOptions().JournalDepth;

    /// <summary>
    /// <c>dns.journalMaxBytes</c>: the most one zone's journal file takes on disk; the steps kept are at most half of it,
    /// the oldest dropped first. Default 100 MiB (as Knot's <c>journal-max-usage</c>), at least 64 KiB. Changes take effect on restart.
    /// </summary>
    public long JournalMaxBytes { get; init; } = new ZoneTransferOptions().JournalMaxBytes;

    /// <summary>
    /// <c>dns.rateLimit</c>: response rate limiting of UDP answers, on by default with loopback exempt
    /// (<c>dns.rateLimit.enabled: false</c> turns it off). Null when off.
    /// </summary>
    public RateLimitOptions? RateLimit { get; init; } = new();
}
