using Holdfast.Dns.Names;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Zones;

/// <summary>
/// One zone's data at one serial, immutable: built off the query path by <see cref="ZoneSnapshotBuilder"/> or edited
/// from the previous snapshot by <see cref="ZoneSnapshotEditor"/>, published by swapping the reference in
/// <see cref="ZoneSet"/>, read by any number of query threads. Names are lower-cased wire names; lookups by span
/// allocate nothing.
/// </summary>
/// <remarks>
/// Every table is a persistent <see cref="NameDictionary{TValue}"/>: a snapshot edited from another shares all the owners it did
/// not change, so publishing a change to k endpoints costs O(k log n), not O(n), in time and in memory.
/// </remarks>
public sealed class ZoneSnapshot
{
    private readonly NameDictionary<Dictionary<ushort, Rrset>> _nodes;
    private readonly NameDictionary<EndpointRecords> _endpoints;
    private readonly NameDictionary<int> _descendants;
    private readonly NameDictionary<bool> _cuts;

    internal ZoneSnapshot(
        byte[] apex,
        Rrset soa,
        NameDictionary<Dictionary<ushort, Rrset>> nodes,
        NameDictionary<EndpointRecords> endpoints,
        NameDictionary<int> descendants,
        NameDictionary<bool> cuts,
        ZoneDiff? change)
    {
        Apex = apex;
        Soa = soa;
        Serial = SerialOf(soa);
        NegativeTtl = NegativeTtlOf(soa);
        _nodes = nodes;
        _endpoints = endpoints;
        _descendants = descendants;
        _cuts = cuts;
        Change = change;
    }

    /// <summary>The apex, lower-case wire form.</summary>
    public byte[] Apex { get; }

    public string ApexText => WireName.ToText(Apex);

    public uint Serial { get; }

    public Rrset Soa { get; }

    /// <summary>RFC 2308 §5: the TTL of negative answers, min(SOA TTL, SOA MINIMUM).</summary>
    public uint NegativeTtl { get; }

    /// <summary>
    /// The IXFR step (RFC 1995 §4) from the snapshot this one was edited from to this one, computed from the edit itself
    /// (only the owners it touched); null for a snapshot built whole. The journal uses it when it starts at the serial
    /// the journal holds.
    /// </summary>
    public ZoneDiff? Change { get; }

    public IReadOnlyDictionary<byte[], EndpointRecords> Endpoints => _endpoints;

    public IReadOnlyDictionary<byte[], Dictionary<ushort, Rrset>> Nodes => _nodes;

    public Dictionary<ushort, Rrset>? FindNode(ReadOnlySpan<byte> name) =>
        _nodes.TryGetValue(name, out var node) ? node : null;

    public EndpointRecords? FindEndpoint(ReadOnlySpan<byte> name) =>
        _endpoints.TryGetValue(name, out var endpoint) ? endpoint : null;

    /// <summary>RFC 8020: a name with nothing of its own but names below it exists (an empty non-terminal).</summary>
    public bool IsEmptyNonTerminal(ReadOnlySpan<byte> name) =>
        _descendants.TryGetValue(name, out var below) && below > 0 && !_nodes.ContainsKey(name) && !_endpoints.ContainsKey(name);

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

        var cut = -1;
        for (var offset = 0; offset < name.Length - Apex.Length; offset = WireName.NextLabel(name, offset))
        {
            if (_cuts.ContainsKey(name[offset..]))
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

    /// <summary>An editor starting from this snapshot; this snapshot never changes.</summary>
    public ZoneSnapshotEditor Edit() => new(this);

    internal NameDictionary<Dictionary<ushort, Rrset>> NodeMap => _nodes;

    internal NameDictionary<EndpointRecords> EndpointMap => _endpoints;

    internal NameDictionary<int> DescendantMap => _descendants;

    internal NameDictionary<bool> CutMap => _cuts;

    internal static uint NegativeTtlOf(Rrset soa)
    {
        var rdata = soa.Rdata[0];
        var minimum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rdata[(rdata.Length - 4)..]);
        return Math.Min(soa.Ttl, minimum);
    }

    internal static uint SerialOf(Rrset soa)
    {
        var rdata = soa.Rdata[0];
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rdata[(rdata.Length - 20)..]);
    }

    internal static bool IsAddressType(ushort type) => type is DnsType.A or DnsType.Aaaa;
}
