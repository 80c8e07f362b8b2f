using System.Net;

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

    /// <summary>
    /// Client prefixes allowed to transfer the zones (AXFR/IXFR). Parsed and kept here; wired by the zone
    /// transfer work (branch dns-xfr). Default: none.
    /// </summary>
    public IReadOnlyList<IPNetwork> AllowTransfer { get; init; } = [];

    /// <summary>Secondaries to NOTIFY on every serial change (RFC 1996). Parsed and kept here; wired by the zone transfer work. Default: none.</summary>
    public IReadOnlyList<IPEndPoint> Notify { get; init; } = [];
}
