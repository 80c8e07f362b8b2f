using System.Buffers.Binary;

namespace Holdfast.Dns.Wire;

/// <summary>
/// Writes a response into a caller-owned span. Every write returns false when it does not fit, leaving the
/// position where it was, so that the caller can fall back to a truncated (TC=1) answer.
/// </summary>
public ref struct DnsResponseWriter
{
    private static readonly byte[] s_root = [0];
    private readonly Span<byte> _buffer;

    public DnsResponseWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Position = 0;
        Limit = buffer.Length;
    }

    public int Position { get; set; }

    /// <summary>Writes stop here (at most the buffer's length): lowered to keep room for the OPT record.</summary>
    public int Limit { get; set; }

    public readonly Span<byte> Written => _buffer[..Position];

    /// <summary>RFC 1035 §4.1.1 header with all counts zero; counts are set as sections are written.</summary>
    public bool TryWriteHeader(ushort id, ushort flags)
    {
        if (_buffer.Length < DnsConstants.HeaderLength)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer, id);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], flags);
        _buffer[4..DnsConstants.HeaderLength].Clear();
        Position = DnsConstants.HeaderLength;
        return true;
    }

    public readonly void SetFlags(ushort flags) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], flags);

    public readonly ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_buffer[2..]);

    /// <summary>Sets one of the four counts: 0 question, 1 answer, 2 authority, 3 additional.</summary>
    public readonly void SetCount(int section, ushort count) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[(4 + (2 * section))..], count);

    public readonly ushort GetCount(int section) => BinaryPrimitives.ReadUInt16BigEndian(_buffer[(4 + (2 * section))..]);

    public bool TryWriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (Position + bytes.Length > Limit)
        {
            return false;
        }

        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
        return true;
    }

    /// <summary>
    /// One resource record. The owner is either a pointer (<paramref name="ownerPointer"/> ≥ 0, RFC 1035
    /// §4.1.4) or the uncompressed <paramref name="owner"/>.
    /// </summary>
    public bool TryWriteRecord(int ownerPointer, scoped ReadOnlySpan<byte> owner, ushort type, ushort @class, uint ttl, scoped ReadOnlySpan<byte> rdata)
    {
        var ownerLength = ownerPointer >= 0 ? 2 : owner.Length;
        var needed = ownerLength + 10 + rdata.Length;
        if (Position + needed > Limit || rdata.Length > ushort.MaxValue)
        {
            return false;
        }

        var span = _buffer[Position..];
        if (ownerPointer >= 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)(0xC000 | ownerPointer));
        }
        else
        {
            owner.CopyTo(span);
        }

        span = span[ownerLength..];
        BinaryPrimitives.WriteUInt16BigEndian(span, type);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], @class);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)rdata.Length);
        rdata.CopyTo(span[10..]);
        Position += needed;
        return true;
    }

    /// <summary>RFC 6891 §6.1.2: the OPT pseudo-record, owner root, CLASS = our UDP payload size, RDATA the options.</summary>
    public bool TryWriteOpt(ushort udpPayloadSize, byte extendedRcode, bool dnssecOk, scoped ReadOnlySpan<byte> options = default)
    {
        var ttl = ((uint)extendedRcode << 24) | (dnssecOk ? 0x8000u : 0u);
        return TryWriteRecord(-1, s_root, DnsType.Opt, udpPayloadSize, ttl, options);
    }
}
