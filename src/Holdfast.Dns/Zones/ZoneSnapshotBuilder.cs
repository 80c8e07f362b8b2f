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
    private Rrset? _soa;

    public ZoneSnapshotBuilder(string apex)
    {
        _apex = WireName.FromText(apex);
        _apexText = WireName.ToText(_apex);
    }

    /// <summary>The SOA (RFC 1035 §3.3.13) with this snapshot's serial; required.</summary>
    public ZoneSnapshotBuilder WithSoa(string primary, string mailbox, uint serial, uint ttl = 3600, int refresh = 3600, int retry = 600, int expire = 604800, int minimum = 60)
    {
        _soa = new Rrset(DnsType.Soa, ttl, [Rdata.Soa(primary, mailbox, serial, refresh, retry, expire, minimum)]);
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

        _soa = new Rrset(DnsType.Soa, ttl, [rdata]);
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
    /// the caller's policy (see <see cref="LastGoodAnswerCache"/>).
    /// </summary>
    public ZoneSnapshotBuilder SetEndpoint(string name, uint ttl, int maxAnswers, IReadOnlyList<EndpointAddress> addresses)
    {
        _endpoints[Owner(name)] = new EndpointRecords(ttl, maxAnswers, addresses);
        return this;
    }

    public ZoneSnapshot Build()
    {
        var editor = new ZoneSnapshotEditor(_apex).SetSoa(_soa ?? throw new InvalidOperationException($"zone {_apexText} has no SOA"));
        foreach (var (owner, types) in _records)
        {
            editor.SetNode(owner, types.ToDictionary(t => t.Key, t => new Rrset(t.Key, t.Value.Ttl, t.Value.Rdata)));
        }

        foreach (var (owner, endpoint) in _endpoints)
        {
            editor.SetEndpoint(owner, endpoint);
        }

        return editor.Build();
    }

    private byte[] Owner(string name)
    {
        var wire = WireName.FromText(name);
        return WireName.IsAtOrBelow(wire, _apex) ? wire : throw new ArgumentException($"{name} is not in zone {_apexText}", nameof(name));
    }
}
