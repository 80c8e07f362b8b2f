namespace Holdfast.Dns.Update;

/// <summary>RCODEs RFC 2136 §2.2 adds for UPDATE (beside NOERROR, FORMERR, SERVFAIL, NOTIMP, REFUSED of RFC 1035).</summary>
public static class UpdateRcode
{
    /// <summary>A name that should not exist does (a "name not in use" prerequisite failed).</summary>
    public const int YxDomain = 6;

    /// <summary>An RRset that should not exist does.</summary>
    public const int YxRrset = 7;

    /// <summary>An RRset that should exist does not, or not with the values given (a value-dependent prerequisite failed).</summary>
    public const int NxRrset = 8;

    /// <summary>The server is not authoritative for the zone, or (RFC 8945 §5.2) the TSIG did not verify.</summary>
    public const int NotAuth = 9;

    /// <summary>A name in the prerequisite or update section is outside the zone.</summary>
    public const int NotZone = 10;

    /// <summary>True for the RCODEs that mean a prerequisite did not hold (RFC 2136 §3.2.5): the fence said no.</summary>
    public static bool IsPrerequisiteFailure(int rcode) => rcode is YxDomain or YxRrset or NxRrset or Wire.DnsRcode.NxDomain;
}
