using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Zones;

/// <summary>
/// Builds a <see cref="ZoneSnapshot"/>: the apex SOA and NS, static RRsets, and endpoint address sets.
/// Not thread-safe; build, then publish the result.
/// </summary>
/// <remarks>
/// Records wait for <see cref="Build"/> in flat form, not as objects per record or per name, so that a master file of
/// half a million records costs little more than its RDATA while it loads: each owner's records form a chain through
/// one list, their RDATA sit end to end in one buffer.
/// <code>
/// _owners       owner name -> index into _chains
/// _chains[i]    (owner, first record, last record) of the i-th owner, in the order owners were first added
/// _records[r]   (type, TTL, RDATA offset and length in _rdata, next record of the same owner or -1)
/// </code>
/// </remarks>
public sealed class ZoneSnapshotBuilder
{
    private readonly byte[] _apex;
    private readonly string _apexText;
    private readonly Dictionary<byte[], int> _owners = new(WireNameComparer.Instance);
    private readonly List<OwnerChain> _chains = [];
    private readonly List<PendingRecord> _records = [];
    private byte[] _rdata = new byte[1024];
    private int _rdataLength;
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

        if (!_owners.TryGetValue(owner, out var chainIndex))
        {
            chainIndex = _chains.Count;
            _owners[owner] = chainIndex;
            _chains.Add(new OwnerChain(owner, -1, -1));
        }

        // An RRset holds each RDATA once: the owner's chain is short (its records), so it is walked.
        var chain = _chains[chainIndex];
        for (var at = chain.First; at >= 0; at = _records[at].Next)
        {
            var existing = _records[at];
            if (existing.Type == type && RdataOf(existing).SequenceEqual(rdata))
            {
                return this;
            }
        }

        var index = _records.Count;
        _records.Add(new PendingRecord(type, ttl, Append(rdata), rdata.Length, -1));
        if (chain.Last >= 0)
        {
            _records[chain.Last] = _records[chain.Last] with { Next = index };
        }

        _chains[chainIndex] = chain with { First = chain.First >= 0 ? chain.First : index, Last = index };
        return this;
    }

    /// <summary>
    /// The address records of an endpoint. An empty list is allowed here; keeping the last good answer is
    /// the caller's policy (the control plane's ZoneFeed keeps it).
    /// </summary>
    public ZoneSnapshotBuilder SetEndpoint(string name, uint ttl, int maxAnswers, IReadOnlyList<EndpointAddress> addresses)
    {
        _endpoints[Owner(name)] = new EndpointRecords(ttl, maxAnswers, addresses);
        return this;
    }

    public ZoneSnapshot Build()
    {
        var editor = new ZoneSnapshotEditor(_apex).SetSoa(_soa ?? throw new InvalidOperationException($"zone {_apexText} has no SOA"));
        var types = new List<ushort>();
        foreach (var chain in _chains)
        {
            // Types in the order first added, each RRset with the TTL its type was first added with.
            types.Clear();
            for (var at = chain.First; at >= 0; at = _records[at].Next)
            {
                if (!types.Contains(_records[at].Type))
                {
                    types.Add(_records[at].Type);
                }
            }

            var node = new Dictionary<ushort, Rrset>(types.Count);
            foreach (var type in types)
            {
                node[type] = PackRrset(chain, type);
            }

            editor.SetOwnedNode(chain.Owner, node);
        }

        foreach (var (owner, endpoint) in _endpoints)
        {
            editor.SetEndpoint(owner, endpoint);
        }

        return editor.Build();
    }

    /// <summary>The owner's records of <paramref name="type"/> as one RRset, packed straight from the pending buffer.</summary>
    private Rrset PackRrset(OwnerChain chain, ushort type)
    {
        uint? ttl = null;
        var count = 0;
        var size = 0;
        for (var at = chain.First; at >= 0; at = _records[at].Next)
        {
            if (_records[at].Type == type)
            {
                ttl ??= _records[at].Ttl;
                count++;
                size += Rrset.PackedLength(_records[at].RdataLength);
            }
        }

        var packed = new byte[size];
        var offset = 0;
        for (var at = chain.First; at >= 0; at = _records[at].Next)
        {
            if (_records[at].Type == type)
            {
                offset = Rrset.Pack(RdataOf(_records[at]), packed, offset);
            }
        }

        return new Rrset(type, ttl!.Value, packed, count);
    }

    private ReadOnlySpan<byte> RdataOf(PendingRecord record) => _rdata.AsSpan(record.RdataOffset, record.RdataLength);

    /// <summary>Copies <paramref name="rdata"/> to the end of the buffer (doubled when full); returns its offset.</summary>
    private int Append(byte[] rdata)
    {
        if (_rdataLength + rdata.Length > _rdata.Length)
        {
            Array.Resize(ref _rdata, Math.Max(_rdata.Length * 2, _rdataLength + rdata.Length));
        }

        rdata.CopyTo(_rdata, _rdataLength);
        _rdataLength += rdata.Length;
        return _rdataLength - rdata.Length;
    }

    private byte[] Owner(string name)
    {
        var wire = WireName.FromText(name);
        return WireName.IsAtOrBelow(wire, _apex) ? wire : throw new ArgumentException($"{name} is not in zone {_apexText}", nameof(name));
    }

    private readonly record struct OwnerChain(byte[] Owner, int First, int Last);

    private readonly record struct PendingRecord(ushort Type, uint Ttl, int RdataOffset, int RdataLength, int Next);
}
