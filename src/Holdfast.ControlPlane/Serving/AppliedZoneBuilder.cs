using Holdfast.ControlPlane.Model;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

using DnsRrset = Holdfast.Dns.Zones.Rrset;

namespace Holdfast.ControlPlane.Serving;

/// <summary>
/// Turns one zone of the control store's view (its spec, its serial, its endpoints' served records, its zone files'
/// records) into the DNS server's zone data. Pure. It lives beside the control plane so that the host's zone feed and
/// the simulator build answers the same way.
/// </summary>
/// <remarks>
/// Static records are added beside the endpoints; at an endpoint's name, its A, AAAA and CNAME records are left out:
/// the endpoint's answer wins. The serial is the caller's (derived from the store, see <see cref="Store.StoredZone.Serial"/>).
/// </remarks>
public static class AppliedZoneBuilder
{
    public static ZoneSnapshot BuildZone(ZoneSpec zone, uint serial, IEnumerable<ServedZoneEndpoint> endpoints, StaticZoneRecords? statics)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(endpoints);
        var builder = new ZoneSnapshotBuilder(zone.Apex)
            .WithSoa(zone.Soa.PrimaryNameServer, zone.Soa.ResponsibleMailbox, serial, (uint)zone.DefaultTtl, zone.Soa.Refresh, zone.Soa.Retry, zone.Soa.Expire, zone.Soa.Minimum);
        foreach (var ns in zone.NameServers)
        {
            builder.Add(zone.Apex, DnsType.Ns, (uint)zone.DefaultTtl, Rdata.Name(ns));
        }

        var names = new HashSet<byte[]>(WireNameComparer.Instance);
        foreach (var endpoint in endpoints)
        {
            builder.SetEndpoint(endpoint.Name, (uint)endpoint.Ttl, endpoint.MaxAnswers, endpoint.Addresses);
            names.Add(WireName.FromText(endpoint.Name));
        }

        foreach (var record in statics?.Records ?? [])
        {
            var shadowed = names.Contains(record.Owner) && IsShadowed(record.Type);
            if (record.Type != DnsType.Soa && !shadowed)
            {
                builder.Add(record.Owner, record.Type, record.Ttl, record.Rdata);
            }
        }

        return builder.Build();
    }

    /// <summary>The zone's SOA at <paramref name="serial"/>: the SOA values of the spec, TTL the zone's default TTL.</summary>
    public static DnsRrset Soa(ZoneSpec zone, uint serial)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new DnsRrset(DnsType.Soa, (uint)zone.DefaultTtl, [Rdata.Soa(zone.Soa.PrimaryNameServer, zone.Soa.ResponsibleMailbox, serial, zone.Soa.Refresh, zone.Soa.Retry, zone.Soa.Expire, zone.Soa.Minimum)]);
    }

    /// <summary>
    /// The zone's static RRsets by owner, endpoints left aside: the configured NS at the apex and the zone files' records
    /// (<see cref="Shadow"/> then leaves out what an endpoint owns). Cost O(static records), whatever the endpoints.
    /// </summary>
    public static IReadOnlyDictionary<byte[], Dictionary<ushort, DnsRrset>> StaticNodes(ZoneSpec zone, StaticZoneRecords? statics) =>
        BuildZone(zone, 1, [], statics).Nodes;

    /// <summary>A static node as served at a name that is (or is not) an endpoint: the endpoint's answer wins over static A, AAAA and CNAME.</summary>
    public static Dictionary<ushort, DnsRrset>? Shadow(Dictionary<ushort, DnsRrset>? node, bool isEndpoint)
    {
        if (node is null || !isEndpoint || !node.Keys.Any(IsShadowed))
        {
            return node;
        }

        var kept = node.Where(pair => !IsShadowed(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value);
        return kept.Count == 0 ? null : kept;
    }

    private static bool IsShadowed(ushort type) => type is DnsType.A or DnsType.Aaaa or DnsType.Cname;
}
