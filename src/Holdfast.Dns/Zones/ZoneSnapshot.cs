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

    internal ZoneSnapshot(
        byte[] apex,
        uint serial,
        RecordSet soa,
        uint negativeTtl,
        Dictionary<byte[], Dictionary<ushort, RecordSet>> nodes,
        Dictionary<byte[], EndpointRecords> endpoints,
        HashSet<byte[]> nonTerminals)
    {
        Apex = apex;
        Serial = serial;
        Soa = soa;
        NegativeTtl = negativeTtl;
        _nodes = nodes;
        _endpoints = endpoints;
        _nonTerminals = nonTerminals;
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

    internal static uint NegativeTtlOf(RecordSet soa)
    {
        var rdata = soa.Rdata[0];
        var minimum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rdata.AsSpan(rdata.Length - 4));
        return Math.Min(soa.Ttl, minimum);
    }

    internal static bool IsAddressType(ushort type) => type is DnsType.A or DnsType.Aaaa;
}
