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
    public static List<TransferRecord> Records(ZoneSnapshot zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var records = new List<TransferRecord>();
        foreach (var (owner, node) in zone.Nodes)
        {
            AddNode(records, owner, node);
        }

        foreach (var (owner, endpoint) in zone.Endpoints)
        {
            AddEndpoint(records, owner, endpoint);
        }

        return SortDistinct(records, zone.Apex);
    }

    /// <summary>
    /// The records that differ between two snapshots of one zone, each list in transfer order. Compares owner by
    /// owner (an endpoint whose TTL and addresses are unchanged costs one lookup), so a change to a few endpoints of
    /// a large zone is cheap.
    /// </summary>
    public static (List<TransferRecord> Deleted, List<TransferRecord> Added) Difference(ZoneSnapshot older, ZoneSnapshot newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        var deleted = new List<TransferRecord>();
        var added = new List<TransferRecord>();
        foreach (var (owner, node) in newer.Nodes)
        {
            var before = older.FindNode(owner);
            if (before is null || !SameNode(before, node))
            {
                var old = new List<TransferRecord>();
                var now = new List<TransferRecord>();
                if (before is not null)
                {
                    AddNode(old, owner, before);
                }

                AddNode(now, owner, node);
                Subtract(deleted, added, old, now);
            }
        }

        foreach (var (owner, node) in older.Nodes.Where(n => newer.FindNode(n.Key) is null))
        {
            AddNode(deleted, owner, node);
        }

        foreach (var (owner, endpoint) in newer.Endpoints)
        {
            var before = older.FindEndpoint(owner);
            if (before is null || before.Ttl != endpoint.Ttl || !before.Addresses.Select(a => a.Address).SequenceEqual(endpoint.Addresses.Select(a => a.Address)))
            {
                var old = new List<TransferRecord>();
                var now = new List<TransferRecord>();
                if (before is not null)
                {
                    AddEndpoint(old, owner, before);
                }

                AddEndpoint(now, owner, endpoint);
                Subtract(deleted, added, old, now);
            }
        }

        foreach (var (owner, endpoint) in older.Endpoints.Where(e => newer.FindEndpoint(e.Key) is null))
        {
            AddEndpoint(deleted, owner, endpoint);
        }

        return (SortDistinct(deleted, older.Apex), SortDistinct(added, newer.Apex));
    }

    /// <summary>The SOA record of the snapshot.</summary>
    public static TransferRecord Soa(ZoneSnapshot zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new TransferRecord(zone.Apex, DnsType.Soa, zone.Soa.Ttl, zone.Soa.Rdata[0].ToArray());
    }

    /// <summary>The records one owner carries in a transfer: its static RRsets (no SOA) and its endpoint's addresses.</summary>
    internal static void AddOwner(List<TransferRecord> records, byte[] owner, Dictionary<ushort, Rrset>? node, EndpointRecords? endpoint)
    {
        if (node is not null)
        {
            AddNode(records, owner, node);
        }

        if (endpoint is not null)
        {
            AddEndpoint(records, owner, endpoint);
        }
    }

    private static void AddNode(List<TransferRecord> records, byte[] owner, Dictionary<ushort, Rrset> node)
    {
        foreach (var (type, set) in node)
        {
            if (type == DnsType.Soa)
            {
                continue;
            }

            foreach (var rdata in set.Rdata)
            {
                records.Add(new TransferRecord(owner, type, set.Ttl, rdata.ToArray()));
            }
        }
    }

    private static void AddEndpoint(List<TransferRecord> records, byte[] owner, EndpointRecords endpoint)
    {
        foreach (var address in endpoint.Addresses)
        {
            var rdata = Rdata.Address(address.Address);
            records.Add(new TransferRecord(owner, rdata.Length == 4 ? DnsType.A : DnsType.Aaaa, endpoint.Ttl, rdata));
        }
    }

    /// <summary>One owner's records before and after: what only the old has is deleted, what only the new has is added.</summary>
    internal static void Subtract(List<TransferRecord> deleted, List<TransferRecord> added, List<TransferRecord> old, List<TransferRecord> now)
    {
        var oldSet = new HashSet<TransferRecord>(old, TransferRecordComparer.Instance);
        var nowSet = new HashSet<TransferRecord>(now, TransferRecordComparer.Instance);
        deleted.AddRange(old.Where(r => !nowSet.Contains(r)));
        added.AddRange(now.Where(r => !oldSet.Contains(r)));
    }

    private static bool SameNode(Dictionary<ushort, Rrset> x, Dictionary<ushort, Rrset> y) =>
        x.Count == y.Count && x.All(pair => y.TryGetValue(pair.Key, out var other) && SameSet(pair.Value, other));

    private static bool SameSet(Rrset x, Rrset y) =>
        ReferenceEquals(x, y) || (x.Ttl == y.Ttl && x.HasSameRdata(y));

    /// <summary>Apex records first (so NS lead), then owner octets, type, RDATA; each record once (RFC 2181 §5).</summary>
    internal static List<TransferRecord> SortDistinct(List<TransferRecord> records, byte[] apex)
    {
        var comparer = TransferRecordComparer.Instance;
        records.Sort((x, y) =>
        {
            var xApex = x.Owner.AsSpan().SequenceEqual(apex);
            var yApex = y.Owner.AsSpan().SequenceEqual(apex);
            return xApex != yApex ? (xApex ? -1 : 1) : comparer.Compare(x, y);
        });

        var distinct = new List<TransferRecord>(records.Count);
        foreach (var record in records)
        {
            if (distinct.Count == 0 || !comparer.Equals(distinct[^1], record))
            {
                distinct.Add(record);
            }
        }

        return distinct;
    }
}
