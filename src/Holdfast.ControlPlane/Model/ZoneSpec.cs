using System.Collections.Immutable;

namespace Holdfast.ControlPlane.Model;

/// <summary>SOA timer values of a zone, seconds (RFC 1035 §3.3.13).</summary>
public sealed record SoaValues(
    string PrimaryNameServer,
    string ResponsibleMailbox,
    int Refresh = 3600,
    int Retry = 600,
    int Expire = 604800,
    int Minimum = 60);

/// <summary>
/// A zone Holdfast is authoritative for: apex (lower-case, trailing dot), SOA values, NS names, default TTL.
/// Static records live in zone files the DNS server loads; endpoints reference the zone by apex.
/// </summary>
public sealed record ZoneSpec(string Apex, SoaValues Soa, ImmutableArray<string> NameServers, int DefaultTtl = 3600)
{
    /// <summary>Value equality, name servers element by element in order.</summary>
    public bool Equals(ZoneSpec? other) =>
        other is not null && Apex == other.Apex && Soa == other.Soa && DefaultTtl == other.DefaultTtl &&
        NameServers.AsSpan().SequenceEqual(other.NameServers.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Apex, Soa, DefaultTtl, NameServers.Length);
}
