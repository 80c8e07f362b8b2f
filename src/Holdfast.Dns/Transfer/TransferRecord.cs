using Holdfast.Dns.Names;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// One resource record as a transfer carries it: owner (lower-case wire), type, TTL and RDATA (uncompressed
/// wire). Class is always IN. Two records are the same record when all four match (<see cref="TransferRecordComparer"/>):
/// a TTL change is therefore a deletion plus an addition in IXFR, as in Knot's and BIND's journals.
/// </summary>
public readonly record struct TransferRecord(byte[] Owner, ushort Type, uint Ttl, byte[] Rdata)
{
    /// <summary>Presentation-like text for logs and tests: <c>api.svc.example. 60 TYPE1 7F000001</c>.</summary>
    public override string ToString() => $"{WireName.ToText(Owner)} {Ttl} TYPE{Type} {Convert.ToHexString(Rdata)}";
}

/// <summary>Equality of <see cref="TransferRecord"/> by content (the arrays' octets, not their references).</summary>
public sealed class TransferRecordComparer : IEqualityComparer<TransferRecord>, IComparer<TransferRecord>
{
    public static TransferRecordComparer Instance { get; } = new();

    public bool Equals(TransferRecord x, TransferRecord y) =>
        x.Type == y.Type && x.Ttl == y.Ttl && x.Owner.AsSpan().SequenceEqual(y.Owner) && x.Rdata.AsSpan().SequenceEqual(y.Rdata);

    public int GetHashCode(TransferRecord obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj.Owner);
        hash.Add(obj.Type);
        hash.Add(obj.Ttl);
        hash.AddBytes(obj.Rdata);
        return hash.ToHashCode();
    }

    /// <summary>A stable order for transfers: owner octets, then type, then RDATA, then TTL.</summary>
    public int Compare(TransferRecord x, TransferRecord y)
    {
        var order = x.Owner.AsSpan().SequenceCompareTo(y.Owner);
        if (order == 0)
        {
            order = x.Type.CompareTo(y.Type);
        }

        if (order == 0)
        {
            order = x.Rdata.AsSpan().SequenceCompareTo(y.Rdata);
        }

        return order != 0 ? order : x.Ttl.CompareTo(y.Ttl);
    }
}
