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

    /// <summary>Offset of the COOKIE option's data (RFC 7873 §4), 0 when the query has none.</summary>
    public int CookieOffset { get; init; }

    /// <summary>Octets of COOKIE option data: 8 (client cookie only) or 16 to 40 (with a server cookie).</summary>
    public int CookieLength { get; init; }

    /// <summary>
    /// A COOKIE option had a length RFC 7873 §5.2.2 does not allow, or there were two: the engine answers FORMERR,
    /// after the EDNS version and the opcode (the order Knot checks them in).
    /// </summary>
    public bool CookieMalformed { get; init; }

    /// <summary>The OPT carried an NSID option (RFC 5001 §2.1): the client asks for the server's identifier.</summary>
    public bool NsidRequested { get; init; }

    /// <summary>The OPT carried an edns-tcp-keepalive option (RFC 7828 §3.2.1).</summary>
    public bool KeepaliveRequested { get; init; }

    /// <summary>Offset of the TSIG record (the last additional record, RFC 8945 §5.1), 0 when the query is not signed.</summary>
    public int TsigOffset { get; init; }

    /// <summary>Octets of the TSIG owner (the key name), uncompressed at <see cref="TsigOffset"/>.</summary>
    public int TsigKeyNameLength { get; init; }

    /// <summary>Octets of the TSIG algorithm name, uncompressed at the start of the TSIG RDATA.</summary>
    public int TsigAlgorithmLength { get; init; }

    /// <summary>Offset of the TSIG RDATA: algorithm name, then Time Signed (6), Fudge (2), MAC size (2), MAC, Original ID (2)…</summary>
    public int TsigRdataOffset => TsigOffset + TsigKeyNameLength + 10;
}
