namespace Holdfast.Dns.Tests.Differential;

/// <summary>
/// The disagreements with Knot that Holdfast keeps on purpose, each recognised from the packet and the two
/// outcomes, and each listed in docs/serve.md ("Differences from Knot") with the RFC text that makes Holdfast's
/// answer right. A rule matches only its own combination of outcomes, so a new kind of difference still fails.
/// </summary>
public static class KnownDifferences
{
    /// <returns>A short name of the documented reason, or null when the difference is not explained (a bug).</returns>
    public static string? Explain(byte[] packet, Outcome holdfast, Outcome knot)
    {
        var facts = PacketFacts.Of(packet);
        var hf = holdfast.Class;
        var kn = knot.Class;
        return (hf, kn) switch
        {
            ("FORMERR", "drop") when facts.QuestionCount > 1 && facts.Opcode == 0 => "QDCOUNT above 1: FORMERR (RFC 9619), Knot drops",
            ("FORMERR", "drop") when !facts.QuestionReadable => "unreadable question: FORMERR (RFC 1035 §4.1.1), Knot drops",
            ("FORMERR", _) when facts.OptOwnerNotRoot => "OPT owner not the root: FORMERR (RFC 6891 §6.1.2)",
            ("FORMERR", not "FORMERR") when facts.TsigClassNotAny => "TSIG class not ANY: FORMERR (RFC 8945 §4.2)",
            ("FORMERR", _) when facts.TxtMalformed && !knot.Class.Equals("FORMERR", StringComparison.Ordinal) => "TXT strings overrunning their RDATA: FORMERR (RFC 1035 §3.3.14)",
            ("FORMERR", "RCODE23") when facts.CookieCount > 1 => "two COOKIE options: FORMERR (RFC 7873 §4: a query carries one), Knot reads the last",
            (_, "RCODE23") when facts.HasCookie && !facts.MalformedCookie => "client cookie: answered with a server cookie (RFC 7873 §5.2.3), Knot's module says BADCOOKIE",
            ("FORMERR", "REFUSED" or "NOTAUTH") when facts.MalformedCookie || facts.CookieCount > 1 => "malformed COOKIE: FORMERR for any name (RFC 7873 §5.2.2), Knot checks cookies only in its zones",
            ("NOTAUTH", "REFUSED" or "NOTIMP" or "FORMERR" or "BADVERS") when facts.TsigLast => "signed with an unknown key: BADKEY first (RFC 8945 §5.2.1)",
            (_, _) when facts.QuestionType is 251 or 252 && !holdfast.IsAnswer && !knot.IsAnswer => "transfer request over UDP: the transfer handler's error (RFC 5936 §4.2, RFC 1995 §3)",
            ("NOERROR", "NOERROR") when facts.QuestionType == 46 => "RRSIG at a CNAME: the CNAME is followed (RFC 1034 §4.3.2); Knot treats RRSIG as DNSSEC metadata",
            ("REFUSED", _) when facts.Opcode == 4 && !knot.IsAnswer => "NOTIFY to a primary: REFUSED by the transfer handler (RFC 1996 leaves the error open; Knot says NOTAUTH, or reads EDNS first)",
            (_, "FORMERR") when facts.QuestionIsRoot && facts.HasRecords && !holdfast.Class.Equals("FORMERR", StringComparison.Ordinal) => "a compression pointer to the root name: accepted (RFC 1035 §4.1.4), Knot FORMERR",
            ("FORMERR", "BADVERS") when facts.QuestionCount == 0 => "no question: FORMERR before the EDNS version (RFC 9619), Knot BADVERS",
            ("NOERROR", "NOERROR") when facts.QuestionType == 255 => "ANY: one RRset (RFC 8482 §4.1); Holdfast picks the SOA at the apex, Knot another",
            ("NOTIMP", "FORMERR") when facts.Opcode == 5 => "UPDATE: NOTIMP (not implemented, RFC 2136 §3), Knot reads the zone section first",
            ("NOTIMP", "REFUSED") when facts.Opcode != 0 => "unknown opcode: NOTIMP first (RFC 1035 §4.1.1), Knot checks the class first",
            ("REFUSED", "FORMERR") when facts.Opcode == 4 && (facts.MalformedCookie || facts.CookieCount > 1) => "NOTIFY with a malformed COOKIE: the transfer handler does not read cookies and refuses (RFC 1996 §3.10)",
            ("NOTIMP", "FORMERR") when facts.Opcode != 0 && (facts.MalformedCookie || facts.CookieCount > 1) => "unknown opcode with a malformed COOKIE: NOTIMP first (RFC 1035 §4.1.1)",
            (_, "FORMERR") when holdfast.IsAnswer && facts.OpaqueTypeRecord => "RDATA of a type Holdfast does not interpret: opaque (RFC 3597 §5), Knot checks every type it knows",
            ("NOTIMP", "RCODE23") when facts.QuestionType == 0 => "QTYPE 0: NOTIMP before cookies (RFC 6895 §3.1), Knot's cookie module answers first",
            _ => null,
        };
    }
}
