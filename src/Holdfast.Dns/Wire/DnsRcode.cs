using System.Globalization;

namespace Holdfast.Dns.Wire;

/// <summary>Response codes (RFC 1035 §4.1.1, RFC 6891 §6.1.3 for the extended BADVERS).</summary>
public static class DnsRcode
{
    public const int NoError = 0;
    public const int FormErr = 1;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    public const int NotImp = 4;
    public const int Refused = 5;

    /// <summary>RFC 6891 §6.1.3: extended rcode 16, carried as 1 in the OPT TTL's upper bits and 0 in the header.</summary>
    public const int BadVers = 16;

    // The header's four bits: RFC 1035 §4.1.1 (0–5) and RFC 2136 §2.2 (6–10, Update.UpdateRcode); 11–15 are unassigned.
    private static readonly string[] s_headerNames =
        ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];

    /// <summary>
    /// The mnemonic dig prints for an RCODE (NOERROR, NXDOMAIN, …, BADVERS); an unassigned code is its decimal number.
    /// </summary>
    public static string Name(int rcode) => rcode switch
    {
        >= 0 and < 11 => s_headerNames[rcode],
        BadVers => "BADVERS",
        _ => rcode.ToString(CultureInfo.InvariantCulture),
    };
}
