using System.Buffers.Binary;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// Builds the messages of a transfer one at a time in a buffer it owns, with name compression inside each
/// message (RFC 1035 §4.1.4): owner names, and the names inside NS, CNAME, PTR, MX and SOA data — the types of
/// RFC 1035 itself, the only ones whose RDATA RFC 3597 §4 lets a server compress. Not thread-safe; one per transfer.
/// </summary>
internal sealed class TransferMessageWriter
{
    // A pointer holds 14 bits of offset (RFC 1035 §4.1.4): names written later than this cannot be pointed at.
    private const int MaxPointerTarget = 0x3FFF;
    private readonly byte[] _buffer;
    private readonly int _messageLimit;
    private readonly Dictionary<byte[], int> _offsets = new(WireNameComparer.Instance);
    private readonly List<byte[]> _added = [];
    private int _limit;

    /// <param name="messageLimit">Records stop here, less the reserve given to <see cref="Begin"/>. The buffer itself is
    /// always 65535 octets, so OPT and TSIG always fit behind the records, even in an error answer to a request whose
    /// own name and key name leave no room under a 512-octet UDP limit.</param>
    public TransferMessageWriter(int messageLimit)
    {
        _buffer = new byte[DnsConstants.TcpLimit];
        _messageLimit = Math.Min(messageLimit, DnsConstants.TcpLimit);
    }

    public byte[] Buffer => _buffer;

    public int Length { get; private set; }

    public ushort Answers { get; private set; }

    /// <summary>Starts a message: header with <paramref name="flags"/>, the question when given, and <paramref name="reserve"/> octets kept free for OPT and TSIG.</summary>
    public void Begin(ushort id, ushort flags, ReadOnlySpan<byte> question, int reserve)
    {
        _offsets.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, id);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), flags);
        _buffer.AsSpan(4, 8).Clear();
        question.CopyTo(_buffer.AsSpan(DnsConstants.HeaderLength));
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(4), (ushort)(question.IsEmpty ? 0 : 1));
        Length = DnsConstants.HeaderLength + question.Length;
        Answers = 0;
        _limit = _messageLimit - reserve;
    }

    public void SetRcode(int rcode) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), (ushort)((BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(2)) & 0xFFF0) | (rcode & 0xF)));

    /// <summary>Adds one answer record; false (and nothing written) when it does not fit.</summary>
    public bool TryAdd(TransferRecord record)
    {
        var start = Length;
        _added.Clear();
        if (TryWriteName(record.Owner) && TryWriteFixed(record.Type, record.Ttl) && TryWriteRdata(record.Type, record.Rdata))
        {
            Answers++;
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(6), Answers);
            return true;
        }

        // Forget the names registered for the record that did not fit: they point past the end.
        foreach (var key in _added)
        {
            _offsets.Remove(key);
        }

        Length = start;
        return false;
    }

    /// <summary>RFC 6891 §6.1.2 OPT (payload size 1232, no flags) in the additional section; uses reserved room.</summary>
    public void AppendOpt()
    {
        var span = _buffer.AsSpan(Length);
        span[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], DnsType.Opt);
        BinaryPrimitives.WriteUInt16BigEndian(span[3..], DnsConstants.DefaultEdnsUdpLimit);
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[9..], 0);
        Length += 11;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(10)) + 1));
    }

    /// <summary>Sets the length after a TSIG record was appended in place.</summary>
    public void Extend(int length) => Length = length;

    private bool TryWriteFixed(ushort type, uint ttl)
    {
        if (Length + 10 > _limit)
        {
            return false;
        }

        var span = _buffer.AsSpan(Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, type);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], DnsConstants.ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], ttl);
        Length += 10;
        return true;
    }

    private bool TryWriteRdata(ushort type, byte[] rdata)
    {
        var lengthAt = Length - 2;
        var start = Length;
        var ok = type switch
        {
            DnsType.Ns or DnsType.Cname or DnsType.Ptr => TryWriteName(rdata),
            DnsType.Mx => TryWriteBytes(rdata.AsSpan(0, 2)) && TryWriteName(rdata.AsSpan(2)),
            DnsType.Soa => TryWriteSoa(rdata),
            _ => TryWriteBytes(rdata),
        };
        if (!ok)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(lengthAt), (ushort)(Length - start));
        return true;
    }

    private bool TryWriteSoa(byte[] rdata)
    {
        var primaryLength = NameLength(rdata);
        var mailboxLength = NameLength(rdata.AsSpan(primaryLength));
        return TryWriteName(rdata.AsSpan(0, primaryLength))
            && TryWriteName(rdata.AsSpan(primaryLength, mailboxLength))
            && TryWriteBytes(rdata.AsSpan(primaryLength + mailboxLength));
    }

    private bool TryWriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _limit)
        {
            return false;
        }

        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
        return true;
    }

    /// <summary>Writes a lower-case uncompressed wire name, pointing at the longest suffix already in the message.</summary>
    private bool TryWriteName(ReadOnlySpan<byte> name)
    {
        var lookup = _offsets.GetAlternateLookup<ReadOnlySpan<byte>>();
        var prefix = 0;
        var pointer = -1;
        while (name[prefix] != 0)
        {
            if (lookup.TryGetValue(name[prefix..], out var target))
            {
                pointer = target;
                break;
            }

            prefix = WireName.NextLabel(name, prefix);
        }

        var needed = pointer >= 0 ? prefix + 2 : name.Length;
        if (Length + needed > _limit)
        {
            return false;
        }

        var start = Length;
        name[..prefix].CopyTo(_buffer.AsSpan(Length));
        if (pointer >= 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Length + prefix), (ushort)(0xC000 | pointer));
        }
        else
        {
            _buffer[Length + prefix] = 0;
        }

        Length += needed;
        for (var offset = 0; offset < prefix && start + offset <= MaxPointerTarget; offset = WireName.NextLabel(name, offset))
        {
            var key = name[offset..].ToArray();
            if (_offsets.TryAdd(key, start + offset))
            {
                _added.Add(key);
            }
        }

        return true;
    }

    private static int NameLength(ReadOnlySpan<byte> wire)
    {
        var offset = 0;
        while (wire[offset] != 0)
        {
            offset = WireName.NextLabel(wire, offset);
        }

        return offset + 1;
    }
}
