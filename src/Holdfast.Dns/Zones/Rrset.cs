using System.Buffers.Binary;

namespace Holdfast.Dns.Zones;

/// <summary>
/// An RRset (RFC 2181 §5) as a zone snapshot stores it: one owner, type and TTL, one or more RDATA in wire form.
/// Immutable.
/// </summary>
/// <remarks>
/// The RDATA sit end to end in one buffer, each after its length as the wire writes it (RDLENGTH, RFC 1035 §3.2.1):
/// an A RRset of five records is one 30-byte array, not an array of five arrays. A zone of 100,000 names keeps
/// 100,000 small arrays instead of 600,000.
/// <code>
/// offset  0     2        6     8        12 …
///         00 04 7f0001 01  00 04 7f0001 02 …
///         len   RDATA      len   RDATA
/// </code>
/// </remarks>
public sealed class Rrset
{
    private readonly byte[] _packed;

    public Rrset(ushort type, uint ttl, IReadOnlyList<byte[]> rdata)
    {
        ArgumentNullException.ThrowIfNull(rdata);
        if (rdata.Count == 0)
        {
            throw new ArgumentException("an RRset has at least one record", nameof(rdata));
        }

        Type = type;
        Ttl = ttl;
        _packed = new byte[rdata.Sum(r => PackedLength(r.Length))];
        var at = 0;
        foreach (var record in rdata)
        {
            at = Pack(record, _packed, at);
        }

        Count = rdata.Count;
    }

    /// <summary>An RRset over <paramref name="packed"/> as <see cref="Pack"/> wrote it, taken over (not copied).</summary>
    internal Rrset(ushort type, uint ttl, byte[] packed, int count)
    {
        Type = type;
        Ttl = ttl;
        _packed = packed;
        Count = count;
    }

    public ushort Type { get; }

    public uint Ttl { get; }

    /// <summary>How many records the RRset holds (at least 1).</summary>
    public int Count { get; }

    /// <summary>The records' RDATA, read in place: enumerating them as spans allocates nothing.</summary>
    public RdataList Rdata => new(_packed, Count);

    /// <summary>The bytes one RDATA of <paramref name="rdataLength"/> takes in the packed buffer.</summary>
    internal static int PackedLength(int rdataLength) =>
        rdataLength <= ushort.MaxValue ? 2 + rdataLength : throw new ArgumentException($"RDATA of {rdataLength} bytes: at most 65535 (RFC 1035 §3.2.1)", nameof(rdataLength));

    /// <summary>Writes <paramref name="rdata"/> after its length at <paramref name="offset"/>; returns the offset after it.</summary>
    internal static int Pack(ReadOnlySpan<byte> rdata, byte[] packed, int offset)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packed.AsSpan(offset), (ushort)rdata.Length);
        rdata.CopyTo(packed.AsSpan(offset + 2));
        return offset + PackedLength(rdata.Length);
    }

    /// <summary>True when both hold the same RDATA in the same order.</summary>
    internal bool HasSameRdata(Rrset other) => _packed.AsSpan().SequenceEqual(other._packed);
}
