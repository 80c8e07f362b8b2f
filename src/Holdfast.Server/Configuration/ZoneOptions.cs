using System.Collections.Immutable;
using System.Net;

namespace Holdfast.Server.Configuration;

/// <summary>One entry of <c>zones</c>.</summary>
public sealed record ZoneOptions
{
    /// <summary>Lower-case, absolute (trailing dot) apex, e.g. <c>svc.example.</c>.</summary>
    public required string Apex { get; init; }

    public required SoaOptions Soa { get; init; }

    /// <summary>NS names at the apex (absolute). At least one.</summary>
    public ImmutableArray<string> Ns { get; init; } = [];

    /// <summary>TTL of the SOA and NS records, seconds. Default 3600.</summary>
    public int DefaultTtl { get; init; } = 3600;

    /// <summary>
    /// Master files with static records for this zone (RFC 1035 §5), served beside the endpoints. Read and checked at
    /// validation (errors name file:line); no SOA, and no A, AAAA or CNAME at a configured endpoint name
    /// (see <see cref="Holdfast.ControlPlane.Serving.StaticZoneRecords"/>). Relative paths are relative to the
    /// working directory. Re-read on reload; a file that fails keeps the previous records serving.
    /// </summary>
    public ImmutableArray<string> ZoneFiles { get; init; } = [];

    /// <summary>Client prefixes allowed to transfer the zone (AXFR/IXFR), e.g. <c>127.0.0.0/8</c>; others are REFUSED. Default none. Changes take effect on restart.</summary>
    public ImmutableArray<IPNetwork> AllowTransfer { get; init; } = [];

    /// <summary>Secondaries to send NOTIFY to on every serial change (RFC 1996), as ADDRESS:PORT. Default none. Changes take effect on restart.</summary>
    public ImmutableArray<IPEndPoint> Notify { get; init; } = [];

    /// <summary>External servers that receive this zone by fenced RFC 2136 UPDATE (docs/push.md); null: none. Changes take effect on restart.</summary>
    public ZonePushOptions? Push { get; init; }
}
