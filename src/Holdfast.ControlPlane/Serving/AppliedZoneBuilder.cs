using Holdfast.ControlPlane.Model;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

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
            var shadowed = names.Contains(record.Owner) && record.Type is DnsType.A or DnsType.Aaaa or DnsType.Cname;
            if (record.Type != DnsType.Soa && !shadowed)
            {
                builder.Add(record.Owner, record.Type, record.Ttl, record.Rdata);
            }
        }

        return builder.Build();
    }
}
