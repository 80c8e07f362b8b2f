using System.Buffers.Binary;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Wire;

/// <summary>
/// Reads a query strictly: header, exactly one question, and every record of the other three sections, each
/// checked for form (owner name, lengths, RDATA of the types it knows), with the OPT and TSIG rules of RFC 6891
/// and RFC 8945. Never throws on malformed input. Allocation-free.
/// </summary>
/// <remarks>
/// Choices where the RFCs leave room (each checked against Knot 3.2 by the differential test; where Holdfast and
/// Knot differ the row says so and docs/serve.md quotes the RFC):
/// <code>
/// packet                                   answer
/// shorter than 12 octets, or QR=1          dropped (nothing to answer, or a reflection risk)
/// opcode other than QUERY                  NOTIMP, question echoed, once the whole message reads well
/// QDCOUNT 0                                FORMERR
/// QDCOUNT above 1                          FORMERR (RFC 9619: a malformed query; Knot drops it)
/// question unreadable (bad label, pointer) FORMERR, no question echoed (Knot drops it)
/// a record cut short, RDLENGTH past the    FORMERR
///   end, fewer records than the counts say
/// octets left after the last counted       FORMERR (RFC 1035 §4.1: the counts describe the whole message;
///   record                                   Knot does the same)
/// RDATA of A, AAAA, NS, CNAME, PTR, MX,    FORMERR when it does not have its type's form (RFC 1035 §3.3,
///   TXT, SOA, SRV malformed                  RFC 3596 §2.2, RFC 2782); other types are opaque (RFC 3597)
/// records in answer or authority           read, checked and ignored (RFC 1035 does not forbid them; RFC
///                                            1995 puts the IXFR serial there; Knot and BIND ignore them)
/// OPT outside the additional section       FORMERR (RFC 6891 §6.1.1: OPT is in the additional data)
/// two OPT records                          FORMERR (RFC 6891 §6.1.1)
/// OPT owner not the root                   FORMERR (RFC 6891 §6.1.2 "MUST be 0"; Knot accepts it)
/// OPT option cut short or overrunning      FORMERR (RFC 6891 §6.1.2, §7), with an OPT in the answer
/// COOKIE length not 8 or 16..40, or two    FORMERR (RFC 7873 §5.2.2), with an OPT, decided by the engine
///                                            after BADVERS and NOTIMP; under an EDNS version above 0 options
///                                            are not interpreted at all (RFC 6891 §6.1.3)
/// NSID or keepalive option with data       the data is ignored (RFC 5001 §2.3, RFC 7828 §3.2.1 say clients
///                                            send none; Knot ignores it too)
/// unknown option codes                     ignored (RFC 6891 §6.1.2)
/// TSIG not the last record, or not in      FORMERR (RFC 8945 §5.1: TSIG is the last additional record;
///   additional, or a second TSIG             a second one is then not last)
/// TSIG class not ANY, TTL not 0, names     FORMERR (RFC 8945 §4.2; Knot accepts a wrong class and
///   compressed, RDATA fields overrun         answers NOTAUTH)
/// </code>
/// A well-formed TSIG is left to the caller: the query engine knows no keys and answers BADKEY (RFC 8945
/// §5.2.1); the transfer handler verifies it when keys are configured.
/// </remarks>
public static partial class DnsQueryReader
{
    private const ushort TypeTsig = 250;

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
        var records = anCount + nsCount + arCount;
        var additionalFrom = anCount + nsCount;
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
            var rdata = position + ownerRead + 10;
            var next = rdata + rdLength;
            if (next > packet.Length)
            {
                return QueryReadStatus.FormErr;
            }

            if (type == DnsType.Opt)
            {
                if (i < additionalFrom)
                {
                    return QueryReadStatus.FormErr;
                }

                if (query.HasOpt)
                {
                    return QueryReadStatus.FormErr;
                }

                // RFC 6891 §6.1.3: CLASS is the requestor's UDP payload size; TTL is EXTENDED-RCODE, VERSION, DO, Z.
                // Recorded before the checks below, so that a FORMERR about the OPT itself carries an OPT (§7).
                var payload = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
                var ttl = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
                query = query with { HasOpt = true, UdpPayloadSize = payload, EdnsVersion = (byte)(ttl >> 16), DnssecOk = (ttl & 0x8000) != 0 };
                if (ownerLength != 1 || !TryReadOptions(packet, rdata, rdLength, interpret: query.EdnsVersion == 0, ref query))
                {
                    return QueryReadStatus.FormErr;
                }
            }
            else if (type == TypeTsig)
            {
                // RFC 8945 §4.2: owner and algorithm names uncompressed, CLASS ANY, TTL 0; §5.1: the last record.
                if (i != records - 1 || i < additionalFrom || ownerRead != ownerLength
                    || BinaryPrimitives.ReadUInt16BigEndian(header[2..]) != 255 || BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != 0
                    || !TryReadTsig(packet, rdata, rdLength, out var algorithmLength))
                {
                    return QueryReadStatus.FormErr;
                }

                query = query with { TsigOffset = start, TsigKeyNameLength = ownerLength, TsigAlgorithmLength = algorithmLength };
            }
            else if (!IsWellFormedRdata(packet, type, rdata, rdLength))
            {
                return QueryReadStatus.FormErr;
            }

            position = next;
        }

        if (position != packet.Length)
        {
            return QueryReadStatus.FormErr;
        }

        // The whole message is read before the opcode counts, as Knot does: a malformed message is FORMERR whatever
        // its opcode, a well-formed one with an opcode other than QUERY is NOTIMP.
        return ((flags >> 11) & 0xF) != 0 ? QueryReadStatus.NotImp : QueryReadStatus.Ok;
    }
}
