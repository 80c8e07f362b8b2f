using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Zones;

/// <summary>
/// Builds a <see cref="ZoneSnapshot"/>: the apex SOA and NS, static RRsets, and endpoint address sets.
/// Not thread-safe; build, then publish the result.
/// </summary>
public sealed class ZoneSnapshotBuilder
{
    private readonly byte[] _apex;
    private readonly string _apexText;
    private readonly Dictionary<byte[], Dictionary<ushort, (uint Ttl, List<byte[]> Rdata)>> _records = new(WireNameComparer.Instance);
    private readonly Dictionary<byte[], EndpointRecords> _endpoints = new(WireNameComparer.Instance);
    private RecordSet? _soa;

    public ZoneSnapshotBuilder(string apex)
    {
        _apex = WireName.FromText(apex);
        _apexText = WireName.ToText(_apex);
    }

    /// <summary>The SOA (RFC 1035 §3.3.13) with this snapshot's serial; required.</summary>
    public ZoneSnapshotBuilder WithSoa(string primary, string mailbox, uint serial, uint ttl = 3600, int refresh = 3600, int retry = 600, int expire = 604800, int minimum = 60)
    {
        _soa = new RecordSet(DnsType.Soa, ttl, [Rdata.Soa(primary, mailbox, serial, refresh, retry, expire, minimum)]);
        return this;
    }

    /// <summary>The SOA from its wire RDATA (as a master file gives it); required.</summary>
    public ZoneSnapshotBuilder WithSoa(uint ttl, byte[] rdata)
    {
        ArgumentNullException.ThrowIfNull(rdata);
        if (rdata.Length < 22)
        {
            throw new ArgumentException("SOA data is two names and five 32-bit numbers", nameof(rdata));
        }

        _soa = new RecordSet(DnsType.Soa, ttl, [rdata]);
        return this;
    }

    /// <summary>Adds one static record; records of one name and type form an RRset with the first TTL given.</summary>
    public ZoneSnapshotBuilder Add(string name, ushort type, uint ttl, byte[] rdata) => Add(Owner(name), type, ttl, rdata);

    /// <summary>
    /// Adds one static record owned by a lower-case wire name at or below the apex. A record identical to one
    /// already added is dropped: an RRset holds each RDATA once (RFC 2181 §5).
    /// </summary>
    public ZoneSnapshotBuilder Add(byte[] owner, ushort type, uint ttl, byte[] rdata)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(rdata);
        if (!WireName.IsAtOrBelow(owner, _apex))
        {
            throw new ArgumentException($"{WireName.ToText(owner)} is not in zone {_apexText}", nameof(owner));
        }

        if (type == DnsType.Soa)
        {
            throw new ArgumentException("the SOA is set with WithSoa", nameof(type));
        }

        if (!_records.TryGetValue(owner, out var node))
        {
            node = [];
            _records[owner] = node;
        }

        // The TTL is kept with the RRset, not keyed by the owner array: two arrays may spell one name.
        if (!node.TryGetValue(type, out var set))
        {
            set = (ttl, []);
            node[type] = set;
        }

        var list = set.Rdata;

        if (!list.Any(existing => existing.AsSpan().SequenceEqual(rdata)))
        {
            list.Add(rdata);
        }

        return this;
    }

    /// <summary>
    /// The address records of an endpoint. An empty list is allowed here; keeping the last good answer is
    /// the caller's policy (see <see cref="EndpointTable"/>).
    /// </summary>
    public ZoneSnapshotBuilder SetEndpoint(string name, uint ttl, int maxAnswers, IReadOnlyList<EndpointAddress> addresses)
    {
        _endpoints[Owner(name)] = new EndpointRecords(ttl, maxAnswers, addresses);
        return this;
    }

    public ZoneSnapshot Build()
    {
        var soa = _soa ?? throw new InvalidOperationException($"zone {_apexText} has no SOA");
        var nodes = new Dictionary<byte[], Dictionary<ushort, RecordSet>>(WireNameComparer.Instance);
        foreach (var (owner, types) in _records)
        {
            nodes[owner] = types.ToDictionary(t => t.Key, t => new RecordSet(t.Key, t.Value.Ttl, t.Value.Rdata));
        }

        if (!nodes.TryGetValue(_apex, out var apexNode))
        {
            apexNode = [];
            nodes[_apex] = apexNode;
        }

        apexNode[DnsType.Soa] = soa;
        foreach (var (owner, types) in nodes)
        {
            if (types.ContainsKey(DnsType.Cname) && types.Count > 1)
            {
                throw new InvalidOperationException($"{WireName.ToText(owner)} has a CNAME and other data (RFC 1034 §3.6.2)");
            }
        }

        var endpoints = new Dictionary<byte[], EndpointRecords>(_endpoints, WireNameComparer.Instance);
        foreach (var name in endpoints.Keys.Where(nodes.ContainsKey))
        {
            if (nodes[name].ContainsKey(DnsType.Cname) || nodes[name].Keys.Any(ZoneSnapshot.IsAddressType))
            {
                throw new InvalidOperationException($"{WireName.ToText(name)} is an endpoint and also has static address or CNAME records");
            }
        }

        // Every ancestor (below the apex) of an owner name that has no data of its own is an empty
        // non-terminal: it exists, and a query for it is NODATA, not NXDOMAIN (RFC 8020).
        var nonTerminals = new HashSet<byte[]>(WireNameComparer.Instance);
        foreach (var owner in nodes.Keys.Concat(endpoints.Keys))
        {
            for (var offset = WireName.NextLabel(owner, 0); offset < owner.Length - _apex.Length; offset = WireName.NextLabel(owner, offset))
            {
                var ancestor = owner[offset..];
                if (!nodes.ContainsKey(ancestor) && !endpoints.ContainsKey(ancestor))
                {
                    nonTerminals.Add(ancestor);
                }
            }
        }

        // RFC 1034 §4.2.1: NS records below the apex mark a zone cut; the names at and below it belong to the
        // child zone, and this zone only refers to it (with glue).
        var cuts = new HashSet<byte[]>(WireNameComparer.Instance);
        foreach (var (owner, types) in nodes)
        {
            if (types.ContainsKey(DnsType.Ns) && owner.Length > _apex.Length)
            {
                cuts.Add(owner);
            }
        }

        return new ZoneSnapshot(_apex, SerialOf(soa), soa, ZoneSnapshot.NegativeTtlOf(soa), nodes, endpoints, nonTerminals, cuts);
    }

    private byte[] Owner(string name)
    {
        var wire = WireName.FromText(name);
        return WireName.IsAtOrBelow(wire, _apex) ? wire : throw new ArgumentException($"{name} is not in zone {_apexText}", nameof(name));
    }

    private static uint SerialOf(RecordSet soa)
    {
        var rdata = soa.Rdata[0];
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rdata.AsSpan(rdata.Length - 20));
    }
}
