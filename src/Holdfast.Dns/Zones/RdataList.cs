using System.Buffers.Binary;
using System.Collections;

namespace Holdfast.Dns.Zones;

/// <summary>
/// The RDATA of one <see cref="Rrset"/>, read from its packed buffer (each RDATA after its 16-bit length).
/// <c>foreach</c> yields spans into the buffer and allocates nothing (the query path); LINQ and other
/// <see cref="IEnumerable{T}"/> users get a copy of each RDATA.
/// </summary>
public readonly struct RdataList : IReadOnlyList<byte[]>
{
    private readonly byte[] _packed;

    internal RdataList(byte[] packed, int count)
    {
        _packed = packed;
        Count = count;
    }

    public int Count { get; }

    /// <summary>The RDATA of record <paramref name="index"/>, in place; found by walking the lengths before it, O(index).</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var enumerator = GetEnumerator();
            for (var i = 0; i <= index; i++)
            {
                enumerator.MoveNext();
            }

            return enumerator.Current;
        }
    }

    byte[] IReadOnlyList<byte[]>.this[int index] => this[index].ToArray();

    public Enumerator GetEnumerator() => new(_packed);

    IEnumerator<byte[]> IEnumerable<byte[]>.GetEnumerator()
    {
        var copies = new List<byte[]>(Count);
        foreach (var rdata in this)
        {
            copies.Add(rdata.ToArray());
        }

        return copies.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<byte[]>)this).GetEnumerator();

    /// <summary>Walks the packed buffer: each step reads a length and the RDATA after it.</summary>
    public ref struct Enumerator
    {
        private readonly byte[] _packed;
        private int _next;

        internal Enumerator(byte[] packed)
        {
            _packed = packed;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public bool MoveNext()
        {
            if (_next >= _packed.Length)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(_packed.AsSpan(_next));
            Current = _packed.AsSpan(_next + 2, length);
            _next += 2 + length;
            return true;
        }
    }
}
