using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// The records a transfer carries for a <see cref="ZoneSnapshot"/>, the SOA excluded (it opens and closes
/// every transfer).
/// </summary>
/// <remarks>
/// Endpoints are transferred with <b>every</b> address of the applied plan, not the weighted subset a single
/// query gets: weighting and rotation (<see cref="EndpointRecords.MaxAnswers"/>) are a serving policy of
/// the Holdfast primary, while a secondary (Knot, NSD, BIND) answers from the zone it holds, and a zone holding
/// only one rotation would drop the other addresses from every secondary answer until the next transfer.
/// Secondaries therefore answer all addresses of the current plan; the last-good rule has already been applied
/// when the snapshot was built, so a transfer never carries an emptied endpoint either.
/// Order: apex records first (so NS lead), then owners by wire octets, then type and RDATA — deterministic,
/// so that two transfers of one snapshot are byte-identical.
/// </remarks>
public static class ZoneContent
{
    public static List<ZoneRecord> Records(ZoneSnapshot zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var records = new List<ZoneRecord>();
        foreach (var (owner, node) in zone.Nodes)
        {
            foreach (var (type, set) in node)
            {
                if (type == DnsType.Soa)
                {
                    continue;
                }

                foreach (var rdata in set.Rdata)
                {
                    records.Add(new ZoneRecord(owner, type, set.Ttl, rdata));
                }
            }
        }

        foreach (var (owner, endpoint) in zone.Endpoints)
        {
            foreach (var address in endpoint.Addresses)
            {
                var rdata = Rdata.Address(address.Address);
                records.Add(new ZoneRecord(owner, rdata.Length == 4 ? DnsType.A : DnsType.Aaaa, endpoint.Ttl, rdata));
            }
        }

        var apex = zone.Apex;
        var comparer = ZoneRecordComparer.Instance;
        records.Sort((x, y) =>
        {
            var xApex = x.Owner.AsSpan().SequenceEqual(apex);
            var yApex = y.Owner.AsSpan().SequenceEqual(apex);
            return xApex != yApex ? (xApex ? -1 : 1) : comparer.Compare(x, y);
        });

        // An RRset holds each record once (RFC 2181 §5); an address listed twice in a plan is sent once.
        var distinct = new List<ZoneRecord>(records.Count);
        foreach (var record in records)
        {
            if (distinct.Count == 0 || !comparer.Equals(distinct[^1], record))
            {
                distinct.Add(record);
            }
        }

        return distinct;
    }

    /// <summary>The SOA record of the snapshot.</summary>
    public static ZoneRecord Soa(ZoneSnapshot zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new ZoneRecord(zone.Apex, DnsType.Soa, zone.Soa.Ttl, zone.Soa.Rdata[0]);
    }
}
