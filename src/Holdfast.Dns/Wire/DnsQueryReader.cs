using System.Buffers.Binary;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Wire;

/// <summary>
/// Reads a query: header, exactly one question, and the other sections only to find the OPT record.
/// Never throws on malformed input. Allocation-free.
/// </summary>
/// <remarks>
/// Choices where servers differ (Holdfast follows Knot and NSD):
/// <code>
/// packet                                   answer
/// shorter than 12 octets, or QR=1          dropped (nothing to answer, or a reflection risk)
/// opcode other than QUERY                  NOTIMP, question echoed when readable
/// QDCOUNT != 1                             FORMERR (RFC 9619 makes QDCOUNT=1 the rule)
/// compression pointer in the question      FORMERR (nothing precedes the question to point at)
/// truncated section, bad label, 2 OPTs     FORMERR (RFC 6891 §6.1.1 for the second OPT)
/// OPT owner not the root                   FORMERR (RFC 6891 §6.1.2)
/// </code>
/// </remarks>
public static class DnsQueryReader
{
    public static QueryReadStatus TryRead(ReadOnlySpan<byte> packet, out ParsedQuery query)
    {
        query = default;
        if (packet.Length < DnsConstants.HeaderLength)
        {
            return QueryReadStatus.Drop;
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if ((flags & 0x8000) != 0)
        {
            return QueryReadStatus.Drop;
        }

        query = new ParsedQuery(id, flags, 0, 0, 0, false, 0, 0, false);
        var qdCount = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var anCount = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        var nsCount = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        var arCount = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        if (qdCount != 1)
        {
            return ((flags >> 11) & 0xF) != 0 ? QueryReadStatus.NotImp : QueryReadStatus.FormErr;
        }

        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        if (!WireName.TryRead(packet, DnsConstants.HeaderLength, name, out var nameLength, out var nameRead) || nameRead != nameLength)
        {
            return QueryReadStatus.FormErr;
        }

        var position = DnsConstants.HeaderLength + nameRead;
        if (position + 4 > packet.Length)
        {
            return QueryReadStatus.FormErr;
        }

        var qType = BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
        var qClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
        position += 4;
        query = query with { QuestionNameLength = nameLength, QuestionType = qType, QuestionClass = qClass };
        if (((flags >> 11) & 0xF) != 0)
        {
            return QueryReadStatus.NotImp;
        }

        var records = anCount + nsCount + arCount;
        for (var i = 0; i < records; i++)
        {
            if (!WireName.TryRead(packet, position, name, out var ownerLength, out var ownerRead) || position + ownerRead + 10 > packet.Length)
            {
                return QueryReadStatus.FormErr;
            }

            var header = packet[(position + ownerRead)..];
            var type = BinaryPrimitives.ReadUInt16BigEndian(header);
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(header[8..]);
            var next = position + ownerRead + 10 + rdLength;
            if (next > packet.Length)
            {
                return QueryReadStatus.FormErr;
            }

            if (type == DnsType.Opt && i >= anCount + nsCount)
            {
                if (query.HasOpt || ownerLength != 1)
                {
                    return QueryReadStatus.FormErr;
                }

                // RFC 6891 §6.1.3: CLASS is the requestor's UDP payload size; TTL is EXTENDED-RCODE, VERSION, DO, Z.
                var payload = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
                var ttl = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
                query = query with { HasOpt = true, UdpPayloadSize = payload, EdnsVersion = (byte)(ttl >> 16), DnssecOk = (ttl & 0x8000) != 0 };
            }

            position = next;
        }

        return QueryReadStatus.Ok;
    }
}
