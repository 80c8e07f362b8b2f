namespace Holdfast.Dns.Transfer;

/// <summary>What a transfer request was answered with.</summary>
public enum TransferKind
{
    /// <summary>AXFR: the whole zone (RFC 5936).</summary>
    Axfr,

    /// <summary>IXFR answered with the difference sequences from the journal (RFC 1995 §4).</summary>
    IxfrIncremental,

    /// <summary>IXFR whose serial the journal does not hold: the whole zone, AXFR-style (RFC 1995 §4).</summary>
    IxfrFull,

    /// <summary>IXFR from a client already at (or past) our serial: the single current SOA.</summary>
    IxfrUpToDate,

    /// <summary>IXFR over UDP whose answer does not fit: the single current SOA, the client retries over TCP (RFC 1995 §2).</summary>
    IxfrUdpSoaOnly,
}
