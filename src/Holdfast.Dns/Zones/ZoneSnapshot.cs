using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Zones;

/// <summary>
/// One zone's data at one serial, immutable: built off the query path by <see cref="ZoneSnapshotBuilder"/>,
/// published by swapping the reference in <see cref="ZoneSet"/>, read by any number of query threads.
/// Names are lower-cased wire names; lookups by span allocate nothing.
/// </summary>
public sealed class ZoneSnapshot
{
    private readonly Dictionary<byte[], Dictionary<ushort, RecordSet>> _nodes;
    private readonly Dictionary<byte[], EndpointRecords> _endpoints;
    private readonly HashSet<byte[]> _nonTerminals;
    private readonly HashSet<byte[]> _cuts;

    internal ZoneSnapshot(
        byte[] apex,
        uint serial,
        RecordSet soa,
        uint negativeTtl,
        Dictionary<byte[], Dictionary<ushort, RecordSet>> nodes,
        Dictionary<byte[], EndpointRecords> endpoints,
        HashSet<byte[]> nonTerminals,
        HashSet<byte[]> cuts)
    {
        Apex = apex;
        Serial = serial;
        Soa = soa;
        NegativeTtl = negativeTtl;
        _nodes = nodes;
        _endpoints = endpoints;
        _nonTerminals = nonTerminals;
        _cuts = cuts;
    }

    /// <summary>The apex, lower-case wire form.</summary>
    public byte[] Apex { get; }

    public string ApexText => WireName.ToText(Apex);

    public uint Serial { get; }

    public RecordSet Soa { get; }

    /// <summary>RFC 2308 §5: the TTL of negative answers, min(SOA TTL, SOA MINIMUM).</summary>
    public uint NegativeTtl { get; }

    public IReadOnlyDictionary<byte[], EndpointRecords> Endpoints => _endpoints;

    public IReadOnlyDictionary<byte[], Dictionary<ushort, RecordSet>> Nodes => _nodes;

    public Dictionary<ushort, RecordSet>? FindNode(ReadOnlySpan<byte> name) =>
        _nodes.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(name, out var node) ? node : null;

    public EndpointRecords? FindEndpoint(ReadOnlySpan<byte> name) =>
        _endpoints.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(name, out var endpoint) ? endpoint : null;

    /// <summary>RFC 8020: a name with nothing of its own but names below it exists (an empty non-terminal).</summary>
    public bool IsEmptyNonTerminal(ReadOnlySpan<byte> name) =>
        _nonTerminals.GetAlternateLookup<ReadOnlySpan<byte>>().Contains(name);

    /// <summary>True when the zone delegates any name (has NS records below its apex).</summary>
    public bool HasCuts => _cuts.Count > 0;

    /// <summary>
    /// The offset in <paramref name="name"/> of the highest zone cut at or above it (below the apex), or -1.
    /// The highest cut wins: RFC 1034 §4.3.2 step 3b stops the descent from the apex at the first cut met.
    /// </summary>
    public int FindCut(ReadOnlySpan<byte> name)
    {
        if (_cuts.Count == 0)
        {
            return -1;
        }

        var lookup = _cuts.GetAlternateLookup<ReadOnlySpan<byte>>();
        var cut = -1;
        for (var offset = 0; offset < name.Length - Apex.Length; offset = WireName.NextLabel(name, offset))
        {
            if (lookup.Contains(name[offset..]))
            {
                cut = offset;
            }
        }

        return cut;
    }

    /// <summary>
    /// RFC 4592 §3.3.1: a name exists when it owns data (or is an endpoint) or is an empty non-terminal.
    /// </summary>
    public bool Exists(ReadOnlySpan<byte> name) =>
        FindNode(name) is not null || FindEndpoint(name) is not null || IsEmptyNonTerminal(name);

    internal static uint NegativeTtlOf(RecordSet soa)
    {
        var rdata = soa.Rdata[0];
        var minimum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rdata.AsSpan(rdata.Length - 4));
        return Math.Min(soa.Ttl, minimum);
    }

    internal static bool IsAddressType(ushort type) => type is DnsType.A or DnsType.Aaaa;
}
