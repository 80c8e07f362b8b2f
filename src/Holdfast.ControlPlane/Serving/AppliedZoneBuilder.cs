using Holdfast.ControlPlane.Model;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.ControlPlane.Serving;

/// <summary>
/// Turns the control store's view (zones, endpoint specs, applied records) into the DNS server's zone
/// data. Pure but for the <see cref="EndpointTable"/>, which applies the last-good-answer rule. It lives beside
/// the control plane so that the host and the simulator build answers the same way.
/// </summary>
/// <remarks>
/// The SOA serial is 1 + the store's change-feed revision + the zone's count of static-data changes
/// (<see cref="StaticZoneRecords.Changes"/>): both terms only grow, so it increases with every applied change and
/// with every change of the zone files, as secondaries need (RFC 1982 arithmetic; it wraps after 2^32 changes,
/// which serial arithmetic allows). Static records are added beside the endpoints; at an endpoint's name, its
/// A, AAAA and CNAME records are left out: the endpoint's answer wins.
/// </remarks>
public static class AppliedZoneBuilder
{
    public static ZoneSet Build(
        IReadOnlyList<ZoneSpec> zones,
        IReadOnlyList<EndpointSpec> endpoints,
        IReadOnlyList<AppliedState> applied,
        long revision,
        EndpointTable? lastGood,
        IReadOnlyDictionary<string, StaticZoneRecords>? statics = null)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(applied);
        var live = applied.ToDictionary(a => a.Endpoint, StringComparer.Ordinal);
        var snapshots = new List<ZoneSnapshot>();
        foreach (var zone in zones)
        {
            var fixedData = statics?.GetValueOrDefault(zone.Apex);
            var serial = unchecked((uint)(revision + 1 + (fixedData?.Changes ?? 0)));
            var builder = new ZoneSnapshotBuilder(zone.Apex)
                .WithSoa(zone.Soa.PrimaryNameServer, zone.Soa.ResponsibleMailbox, serial, (uint)zone.DefaultTtl, zone.Soa.Refresh, zone.Soa.Retry, zone.Soa.Expire, zone.Soa.Minimum);
            foreach (var ns in zone.NameServers)
            {
                builder.Add(zone.Apex, DnsType.Ns, (uint)zone.DefaultTtl, Rdata.Name(ns));
            }

            foreach (var endpoint in endpoints.Where(e => string.Equals(e.Zone, zone.Apex, StringComparison.OrdinalIgnoreCase)))
            {
                var records = live.TryGetValue(endpoint.Name, out var state)
                    ? state.Records.Select(r => new EndpointAddress(r.Address, Math.Max(1, r.Weight))).ToList()
                    : [];
                // Without a last-good table the applied records are served as they are: the DNS server of 2025,
                // which only the simulator's legacy protocol builds.
                var serve = lastGood?.Update(endpoint.Name, records) ?? records;
                builder.SetEndpoint(endpoint.Name, (uint)endpoint.Policy.Ttl, endpoint.Policy.MaxAnswers, serve);
            }

            if (fixedData is not null)
            {
                AddStatic(builder, fixedData, endpoints.Where(e => string.Equals(e.Zone, zone.Apex, StringComparison.OrdinalIgnoreCase)));
            }

            snapshots.Add(builder.Build());
        }

        return new ZoneSet(snapshots);
    }

    private static void AddStatic(ZoneSnapshotBuilder builder, StaticZoneRecords statics, IEnumerable<EndpointSpec> endpoints)
    {
        var endpointNames = endpoints.Select(e => WireName.FromText(e.Name)).ToHashSet(WireNameComparer.Instance);
        foreach (var record in statics.Records)
        {
            var shadowed = endpointNames.Contains(record.Owner) && record.Type is DnsType.A or DnsType.Aaaa or DnsType.Cname;
            if (record.Type != DnsType.Soa && !shadowed)
            {
                builder.Add(record.Owner, record.Type, record.Ttl, record.Rdata);
            }
        }
    }
}
