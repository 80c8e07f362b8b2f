namespace Holdfast.Dns.Wire;

/// <summary>
/// What the query engine needs from a query, as offsets into the original packet (no copies).
/// The question name is at offset 12 and <see cref="QuestionNameLength"/> octets long, uncompressed.
/// </summary>
public readonly record struct ParsedQuery(
    ushort Id,
    ushort Flags,
    int QuestionNameLength,
    ushort QuestionType,
    ushort QuestionClass,
    bool HasOpt,
    ushort UdpPayloadSize,
    byte EdnsVersion,
    bool DnssecOk)
{
    /// <summary>RFC 1035 §4.1.1 OPCODE: bits 11–14 of the flags.</summary>
    public int Opcode => (Flags >> 11) & 0xF;

    public bool RecursionDesired => (Flags & 0x0100) != 0;

    /// <summary>Offset just past the question section.</summary>
    public int QuestionEnd => DnsConstants.HeaderLength + QuestionNameLength + 4;
}
