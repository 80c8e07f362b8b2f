using System.Buffers.Binary;
using System.Collections.Immutable;
using Holdfast.Dns.Names;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Update;

/// <summary>
/// Reads UPDATE messages and their responses (RFC 2136 §2), and the records of any message's sections. Never throws on
/// malformed input: false means "not a well-formed message", and a server answers FORMERR.
/// </summary>
/// <remarks>
/// <code>
/// input                                                    result
/// shorter than a header, opcode not 5                      false
/// request with ZOCOUNT != 1, or ZTYPE not SOA              false (RFC 2136 §3.1.1: FORMERR)
/// response with ZOCOUNT above 1                            false (§3.8: the zone section is copied or empty)
/// a name that is truncated, loops or points forward        false
/// RDLENGTH beyond the message, octets after the last RR    false
/// TSIG anywhere but last in additional, or malformed       false (RFC 8945 §5.1)
/// </code>
/// Additional records other than the TSIG (an OPT, say) are skipped: UPDATE gives them no meaning (§2.6 is empty).
/// </remarks>
public static class UpdateMessageReader
{
    public static bool TryRead(ReadOnlySpan<byte> message, out UpdateMessage? update)
    {
        update = null;
        if (message.Length < DnsConstants.HeaderLength || ((message[2] >> 3) & 0xF) != UpdateMessage.Opcode)
        {
            return false;
        }

        var isResponse = (message[2] & 0x80) != 0;
        var zoneCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        if (zoneCount > 1 || (!isResponse && zoneCount != 1))
        {
            return false;
        }

        var position = DnsConstants.HeaderLength;
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        byte[] zone = [];
        if (zoneCount == 1)
        {
            if (!WireName.TryRead(message, position, name, out var zoneLength, out var zoneRead) || position + zoneRead + 4 > message.Length)
            {
                return false;
            }

            // RFC 2136 §3.1.1: ZTYPE must be SOA.
            if (BinaryPrimitives.ReadUInt16BigEndian(message[(position + zoneRead)..]) != DnsType.Soa)
            {
                return false;
            }

            zone = Lower(name[..zoneLength]);
            position += zoneRead + 4;
        }

        var prerequisites = ImmutableArray.CreateBuilder<ResourceRecord>();
        var updates = ImmutableArray.CreateBuilder<ResourceRecord>();
        var counts = (Pr: BinaryPrimitives.ReadUInt16BigEndian(message[6..]), Up: BinaryPrimitives.ReadUInt16BigEndian(message[8..]), Ad: BinaryPrimitives.ReadUInt16BigEndian(message[10..]));
        if (!TryReadRecords(message, ref position, counts.Pr, prerequisites) || !TryReadRecords(message, ref position, counts.Up, updates)
            || !TryReadAdditional(message, ref position, counts.Ad, out var tsig) || position != message.Length)
        {
            return false;
        }

        update = new UpdateMessage(
            BinaryPrimitives.ReadUInt16BigEndian(message), isResponse, message[3] & 0x0F, zone,
            prerequisites.ToImmutable(), updates.ToImmutable(), tsig);
        return true;
    }

    /// <summary>
    /// Reads <paramref name="count"/> records at <paramref name="position"/> into <paramref name="records"/> (owners lower-cased
    /// and uncompressed, RDATA as carried) and moves past them; on false nothing is added and the position is unchanged.
    /// </summary>
    public static bool TryReadRecords(ReadOnlySpan<byte> message, ref int position, int count, ImmutableArray<ResourceRecord>.Builder records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var p = position;
        var read = new List<ResourceRecord>(count);
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadHeader(message, p, name, out var ownerLength, out var type, out var recordClass, out var ttl, out var dataStart, out var dataLength))
            {
                return false;
            }

            read.Add(new ResourceRecord(Lower(name[..ownerLength]), type, recordClass, ttl, message.Slice(dataStart, dataLength).ToArray()));
            p = dataStart + dataLength;
        }

        records.AddRange(read);
        position = p;
        return true;
    }

    /// <summary>Skips the additional section's records; the last may be a TSIG, which is read.</summary>
    private static bool TryReadAdditional(ReadOnlySpan<byte> message, ref int position, int count, out TsigRecord? tsig)
    {
        tsig = null;
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        for (var i = 0; i < count; i++)
        {
            var start = position;
            if (!TryReadHeader(message, position, name, out var ownerLength, out var type, out _, out _, out var dataStart, out var dataLength))
            {
                return false;
            }

            position = dataStart + dataLength;
            if (type == Tsig.Type)
            {
                // RFC 8945 §5.1: the TSIG is the last record; another after it makes the message malformed.
                if (i != count - 1 || !TransferRequestReader.TryReadTsig(message, start, name[..ownerLength], dataStart, dataLength, out tsig))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> message, int position, Span<byte> name, out int ownerLength, out ushort type, out ushort recordClass, out uint ttl, out int dataStart, out int dataLength)
    {
        type = recordClass = 0;
        ttl = 0;
        dataStart = dataLength = 0;
        if (!WireName.TryRead(message, position, name, out ownerLength, out var ownerRead) || position + ownerRead + 10 > message.Length)
        {
            return false;
        }

        var header = message[(position + ownerRead)..];
        type = BinaryPrimitives.ReadUInt16BigEndian(header);
        recordClass = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        ttl = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        dataLength = BinaryPrimitives.ReadUInt16BigEndian(header[8..]);
        dataStart = position + ownerRead + 10;
        return dataStart + dataLength <= message.Length;
    }

    private static byte[] Lower(ReadOnlySpan<byte> name)
    {
        var copy = name.ToArray();
        WireName.ToLower(copy);
        return copy;
    }
}
