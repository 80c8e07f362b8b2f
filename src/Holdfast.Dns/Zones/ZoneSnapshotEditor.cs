using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Zones;

/// <summary>
/// Makes the next <see cref="ZoneSnapshot"/> of a zone from the one before it by patching only the owners named:
/// an endpoint's address set, a name's static RRsets, the SOA. Cost O(k log n) for k owners changed in a zone of n,
/// and the IXFR step (<see cref="ZoneSnapshot.Change"/>) comes from the same edit: the records of each touched owner
/// before and after. Also builds a zone from nothing (<see cref="ZoneSnapshotBuilder"/> does). Not thread-safe; one
/// <see cref="Build"/> per editor.
/// </summary>
/// <remarks>
/// <code>
/// call                         effect on the next snapshot
/// SetEndpoint(owner, records)  the endpoint's addresses (null: the endpoint goes)
/// SetNode(owner, rrsets)       the name's static RRsets, all of them (null or none: the name's static data goes);
///                              a SOA among them is ignored, the zone has one SOA (SetSoa)
/// SetSoa(soa)                  the SOA, so the serial: required for a new zone, else the previous one stays
/// </code>
/// The rules <see cref="ZoneSnapshotBuilder"/> enforces are checked for the touched owners: a CNAME alone at its name
/// (RFC 1034 §3.6.2), and no static address or CNAME at an endpoint.
/// </remarks>
public sealed class ZoneSnapshotEditor
{
    private readonly byte[] _apex;
    private readonly ZoneSnapshot? _basis;
    private readonly NameDictionary<Dictionary<ushort, Rrset>>.Builder _nodes;
    private readonly NameDictionary<EndpointRecords>.Builder _endpoints;
    private readonly NameDictionary<int>.Builder _descendants;
    private readonly NameDictionary<bool>.Builder _cuts;
    private readonly HashSet<byte[]> _touched = new(WireNameComparer.Instance);
    private Rrset? _soa;
    private bool _built;

    /// <summary>An editor for a zone that has no data yet.</summary>
    public ZoneSnapshotEditor(string apex)
        : this(WireName.FromText(apex))
    {
    }

    internal ZoneSnapshotEditor(byte[] apex)
    {
        _apex = apex;
        _nodes = new NameDictionary<Dictionary<ushort, Rrset>>().ToBuilder();
        _endpoints = new NameDictionary<EndpointRecords>().ToBuilder();
        _descendants = new NameDictionary<int>().ToBuilder();
        _cuts = new NameDictionary<bool>().ToBuilder();
    }

    internal ZoneSnapshotEditor(ZoneSnapshot basis)
    {
        _basis = basis;
        _apex = basis.Apex;
        _nodes = basis.NodeMap.ToBuilder();
        _endpoints = basis.EndpointMap.ToBuilder();
        _descendants = basis.DescendantMap.ToBuilder();
        _cuts = basis.CutMap.ToBuilder();
    }

    /// <summary>The zone's apex, lower-case wire form.</summary>
    public byte[] Apex => _apex;

    /// <summary>Sets the SOA (one record, RFC 1035 §3.3.13 RDATA); its serial is the new snapshot's.</summary>
    public ZoneSnapshotEditor SetSoa(Rrset soa)
    {
        ArgumentNullException.ThrowIfNull(soa);
        if (soa.Type != DnsType.Soa || soa.Count != 1 || soa.Rdata[0].Length < 22)
        {
            throw new ArgumentException("a zone has one SOA record: two names and five 32-bit numbers", nameof(soa));
        }

        _soa = soa;
        return this;
    }

    /// <summary>Replaces every static RRset of <paramref name="owner"/> (lower-case wire, kept by reference); null or empty removes them.</summary>
    public ZoneSnapshotEditor SetNode(byte[] owner, IReadOnlyDictionary<ushort, Rrset>? rrsets) =>
        SetOwnedNode(owner, rrsets?.Where(pair => pair.Key != DnsType.Soa).ToDictionary(pair => pair.Key, pair => pair.Value));

    /// <summary>
    /// <see cref="SetNode"/> for a dictionary the caller made for this editor and never touches again, holding no SOA:
    /// it is kept as it is, not copied (the builder loads a whole zone this way).
    /// </summary>
    internal ZoneSnapshotEditor SetOwnedNode(byte[] owner, Dictionary<ushort, Rrset>? node)
    {
        Touch(owner);
        var isApex = owner.AsSpan().SequenceEqual(_apex);

        // The apex keeps its SOA whatever its other data: Build puts it back.
        if (node is null || node.Count == 0)
        {
            if (_nodes.Remove(owner))
            {
                CountAncestors(owner, -1);
            }

            _cuts.Remove(owner);
            return this;
        }

        if (_nodes.Set(owner, node))
        {
            CountAncestors(owner, +1);
        }

        // RFC 1034 §4.2.1: NS records below the apex mark a zone cut.
        if (!isApex && node.ContainsKey(DnsType.Ns))
        {
            _cuts.Set(owner, true);
        }
        else
        {
            _cuts.Remove(owner);
        }

        return this;
    }

    /// <summary>Sets the address records of endpoint <paramref name="owner"/> (lower-case wire, kept by reference); null removes the endpoint.</summary>
    public ZoneSnapshotEditor SetEndpoint(byte[] owner, EndpointRecords? endpoint)
    {
        Touch(owner);
        if (endpoint is null)
        {
            if (_endpoints.Remove(owner))
            {
                CountAncestors(owner, -1);
            }
        }
        else if (_endpoints.Set(owner, endpoint))
        {
            CountAncestors(owner, +1);
        }

        return this;
    }

    /// <summary>The next snapshot, with the IXFR step from the previous one when there was one.</summary>
    public ZoneSnapshot Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("an editor builds one snapshot");
        }

        _built = true;
        var soa = _soa ?? _basis?.Soa ?? throw new InvalidOperationException($"zone {WireName.ToText(_apex)} has no SOA");
        if (!_nodes.TryGetValue(_apex, out var apexNode) || !ReferenceEquals(apexNode.GetValueOrDefault(DnsType.Soa), soa))
        {
            var withSoa = apexNode is null ? [] : new Dictionary<ushort, Rrset>(apexNode);
            withSoa[DnsType.Soa] = soa;
            _nodes.Set(_apex, withSoa);
        }

        var nodes = _nodes.ToImmutable();
        var endpoints = _endpoints.ToImmutable();
        foreach (var owner in _touched)
        {
            Check(owner, nodes, endpoints);
        }

        var change = _basis is null ? null : Difference(_basis, soa, nodes, endpoints);
        return new ZoneSnapshot(_apex, soa, nodes, endpoints, _descendants.ToImmutable(), _cuts.ToImmutable(), change);
    }

    private void Touch(byte[] owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (_built)
        {
            throw new InvalidOperationException("this editor has built its snapshot; edit that snapshot instead");
        }

        if (!WireName.IsAtOrBelow(owner, _apex))
        {
            throw new ArgumentException($"{WireName.ToText(owner)} is not in zone {WireName.ToText(_apex)}", nameof(owner));
        }

        _touched.Add(owner);
    }

    /// <summary>
    /// Every ancestor strictly between an owner and the apex counts the owners below it; one with a count and no data
    /// of its own is an empty non-terminal (RFC 8020). A name's node and its endpoint are counted apart.
    /// </summary>
    private void CountAncestors(byte[] owner, int delta)
    {
        for (var offset = WireName.NextLabel(owner, 0); offset < owner.Length - _apex.Length; offset = WireName.NextLabel(owner, offset))
        {
            var ancestor = owner.AsSpan(offset);
            _descendants.TryGetValue(ancestor, out var below);
            below += delta;
            if (below == 0)
            {
                _descendants.Remove(ancestor);
            }
            else
            {
                _descendants.Set(ancestor.ToArray(), below);
            }
        }
    }

    private static void Check(byte[] owner, NameDictionary<Dictionary<ushort, Rrset>> nodes, NameDictionary<EndpointRecords> endpoints)
    {
        if (!nodes.TryGetValue(owner, out var node))
        {
            return;
        }

        if (CnameRule.Check(node.Keys) is not CnameConflict.None and var conflict)
        {
            throw new InvalidOperationException(CnameRule.Describe(conflict, WireName.ToText(owner)));
        }

        if (endpoints.ContainsKey(owner) && (node.ContainsKey(DnsType.Cname) || node.Keys.Any(ZoneSnapshot.IsAddressType)))
        {
            throw new InvalidOperationException($"{WireName.ToText(owner)} is an endpoint and also has static address or CNAME records");
        }
    }

    /// <summary>RFC 1995 §4: per touched owner, the records only the old snapshot has are deleted, those only the new has are added.</summary>
    private ZoneDiff Difference(ZoneSnapshot basis, Rrset soa, NameDictionary<Dictionary<ushort, Rrset>> nodes, NameDictionary<EndpointRecords> endpoints)
    {
        var deleted = new List<TransferRecord>();
        var added = new List<TransferRecord>();
        var old = new List<TransferRecord>();
        var now = new List<TransferRecord>();
        foreach (var owner in _touched)
        {
            old.Clear();
            now.Clear();
            ZoneContent.AddOwner(old, owner, basis.FindNode(owner), basis.FindEndpoint(owner));
            ZoneContent.AddOwner(now, owner, nodes.TryGetValue(owner, out var node) ? node : null, endpoints.TryGetValue(owner, out var endpoint) ? endpoint : null);
            ZoneContent.Subtract(deleted, added, old, now);
        }

        var to = new TransferRecord(_apex, DnsType.Soa, soa.Ttl, soa.Rdata[0].ToArray());
        return new ZoneDiff(ZoneContent.Soa(basis), to, ZoneContent.SortDistinct(deleted, _apex), ZoneContent.SortDistinct(added, _apex));
    }
}
