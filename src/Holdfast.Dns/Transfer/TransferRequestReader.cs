using System.Buffers.Binary;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// Reads transfer requests (RFC 5936 §2.2, RFC 1995 §3), NOTIFY (RFC 1996 §3) and TSIG-signed queries
/// (RFC 8945 §4.2). Never throws on malformed input.
/// </summary>
/// <remarks>
/// <code>
/// packet                                        result
/// shorter than a header, or QR=1                Drop
/// QDCOUNT != 1, bad name, truncated record      FormErr
/// IXFR without an SOA in authority              FormErr (RFC 1995 §3: the client's serial is required)
/// TSIG not the last additional record, or two   FormErr (RFC 8945 §5.1)
/// TSIG RDATA shorter than its fields say        FormErr
/// </code>
/// </remarks>
public static class TransferRequestReader
{
    public const int OpcodeNotify = 4;

    /// <summary>
    /// A cheap look at the header and question: true for AXFR, IXFR and NOTIFY, and (when
    /// <paramref name="lookForTsig"/>) for any message whose last record is a TSIG. Allocation-free.
    /// </summary>
    public static bool IsForTransferHandler(ReadOnlySpan<byte> packet, bool lookForTsig)
    {
        if (packet.Length < DnsConstants.HeaderLength || (packet[2] & 0x80) != 0)
        {
            return false;
        }

        var opcode = (packet[2] >> 3) & 0xF;
        if (opcode == OpcodeNotify)
        {
            return true;
        }

        if (opcode != 0 || BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) != 1)
        {
            return false;
        }

        var position = SkipName(packet, DnsConstants.HeaderLength);
        if (position < 0 || position + 4 > packet.Length)
        {
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
        if (type is DnsType.Axfr or DnsType.Ixfr)
        {
            return true;
        }

        if (!lookForTsig || BinaryPrimitives.ReadUInt16BigEndian(packet[10..]) == 0)
        {
            return false;
        }

        position += 4;
        var records = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[8..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        for (var i = 0; i < records; i++)
        {
            position = SkipName(packet, position);
            if (position < 0 || position + 10 > packet.Length)
            {
                return false;
            }

            if (i == records - 1)
            {
                return BinaryPrimitives.ReadUInt16BigEndian(packet[position..]) == Tsig.Type;
            }

            position += 10 + BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 8)..]);
        }

        return false;
    }

    public static QueryReadStatus TryRead(ReadOnlySpan<byte> packet, out TransferRequest? request)
    {
        request = null;
        if (packet.Length < DnsConstants.HeaderLength || (packet[2] & 0x80) != 0)
        {
            return QueryReadStatus.Drop;
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var qdCount = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var anCount = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        var nsCount = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        var arCount = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        request = new TransferRequest(id, flags, [], 0, 0, DnsConstants.HeaderLength, false, 0, null, null);
        if (qdCount != 1)
        {
            return QueryReadStatus.FormErr;
        }

        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        if (!WireName.TryRead(packet, DnsConstants.HeaderLength, name, out var nameLength, out var nameRead) || nameRead != nameLength
            || DnsConstants.HeaderLength + nameRead + 4 > packet.Length)
        {
            return QueryReadStatus.FormErr;
        }

        var position = DnsConstants.HeaderLength + nameRead;
        var questionName = name[..nameLength].ToArray();
        WireName.ToLower(questionName);
        request = request with
        {
            QuestionName = questionName,
            QuestionType = BinaryPrimitives.ReadUInt16BigEndian(packet[position..]),
            QuestionClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]),
            QuestionEnd = position + 4,
        };
        position += 4;

        var records = anCount + nsCount + arCount;
        for (var i = 0; i < records; i++)
        {
            var start = position;
            if (!WireName.TryRead(packet, position, name, out var ownerLength, out var ownerRead) || position + ownerRead + 10 > packet.Length)
            {
                return QueryReadStatus.FormErr;
            }

            var header = packet[(position + ownerRead)..];
            var type = BinaryPrimitives.ReadUInt16BigEndian(header);
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(header[8..]);
            var rdataStart = position + ownerRead + 10;
            position = rdataStart + rdLength;
            if (position > packet.Length)
            {
                return QueryReadStatus.FormErr;
            }

            var rdata = packet.Slice(rdataStart, rdLength);
            var inAuthority = i >= anCount && i < anCount + nsCount;
            var inAdditional = i >= anCount + nsCount;
            if (type == DnsType.Soa && inAuthority && request.ClientSerial is null)
            {
                // RFC 1995 §3: the authority section holds the client's SOA; its serial sits 20 octets before the end.
                if (rdLength < 22)
                {
                    return QueryReadStatus.FormErr;
                }

                request = request with { ClientSerial = BinaryPrimitives.ReadUInt32BigEndian(rdata[(rdLength - 20)..]) };
            }
            else if (type == DnsType.Opt && inAdditional)
            {
                if (request.HasOpt || ownerLength != 1)
                {
                    return QueryReadStatus.FormErr;
                }

                request = request with { HasOpt = true, UdpPayloadSize = BinaryPrimitives.ReadUInt16BigEndian(header[2..]) };
            }
            else if (type == Tsig.Type)
            {
                // RFC 8945 §5.1: exactly one TSIG, the last record of the additional section.
                if (!inAdditional || i != records - 1 || !TryReadTsig(packet, start, name[..ownerLength], rdataStart, rdLength, out var tsig))
                {
                    return QueryReadStatus.FormErr;
                }

                request = request with { Tsig = tsig };
            }
        }

        if (position != packet.Length && request.Tsig is not null)
        {
            // Octets after the TSIG would be outside the MAC: refuse to treat the message as signed.
            return QueryReadStatus.FormErr;
        }

        if (request.Opcode == 0 && request.QuestionType == DnsType.Ixfr && request.ClientSerial is null)
        {
            return QueryReadStatus.FormErr;
        }

        return QueryReadStatus.Ok;
    }

    /// <summary>Reads the TSIG RDATA (RFC 8945 §4.2) of the record at <paramref name="start"/>; false when its fields overrun the RDATA or leave octets over.</summary>
    internal static bool TryReadTsig(ReadOnlySpan<byte> packet, int start, ReadOnlySpan<byte> owner, int rdataStart, int rdLength, out TsigRecord? tsig)
    {
        tsig = null;
        var end = rdataStart + rdLength;
        Span<byte> algorithm = stackalloc byte[DnsConstants.MaxNameLength];
        if (!WireName.TryRead(packet[..end], rdataStart, algorithm, out var algorithmLength, out var algorithmRead))
        {
            return false;
        }

        var p = rdataStart + algorithmRead;
        if (p + 10 > end)
        {
            return false;
        }

        var timeSigned = Tsig.ReadUInt48(packet[p..]);
        var fudge = BinaryPrimitives.ReadUInt16BigEndian(packet[(p + 6)..]);
        var macSize = BinaryPrimitives.ReadUInt16BigEndian(packet[(p + 8)..]);
        p += 10;
        if (p + macSize + 6 > end)
        {
            return false;
        }

        var mac = packet.Slice(p, macSize).ToArray();
        p += macSize;
        var originalId = BinaryPrimitives.ReadUInt16BigEndian(packet[p..]);
        var error = BinaryPrimitives.ReadUInt16BigEndian(packet[(p + 2)..]);
        var otherLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(p + 4)..]);
        p += 6;
        if (p + otherLength != end)
        {
            return false;
        }

        var keyName = owner.ToArray();
        WireName.ToLower(keyName);
        var algorithmName = algorithm[..algorithmLength].ToArray();
        WireName.ToLower(algorithmName);
        tsig = new TsigRecord(start, keyName, algorithmName, timeSigned, fudge, mac, originalId, error, packet.Slice(p, otherLength).ToArray());
        return true;
    }

    /// <summary>Offset just past the name at <paramref name="offset"/>, or -1 when it is malformed.</summary>
    private static int SkipName(ReadOnlySpan<byte> packet, int offset)
    {
        var position = offset;
        while (position < packet.Length)
        {
            var length = packet[position];
            if (length == 0)
            {
                return position + 1;
            }

            if ((length & 0xC0) == 0xC0)
            {
                return position + 2 <= packet.Length ? position + 2 : -1;
            }

            if ((length & 0xC0) != 0)
            {
                return -1;
            }

            position += 1 + length;
        }

        return -1;
    }
}
