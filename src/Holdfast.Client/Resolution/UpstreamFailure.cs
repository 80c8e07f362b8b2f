namespace Holdfast.Client.Resolution;

/// <summary>Why an upstream gave no usable answer (the <c>reason</c> tag of <c>holdfast.client.upstream.failures</c>).</summary>
internal enum UpstreamFailure
{
    None,

    /// <summary>No matching reply within the query timeout.</summary>
    Timeout,

    /// <summary>The connection was refused or the port unreachable (ICMP), or the network failed.</summary>
    Network,

    /// <summary>SERVFAIL, REFUSED, FORMERR or NOTIMP (RFC 8767 §5 treats these as a failed resolution).</summary>
    ErrorRcode,

    /// <summary>A reply that did not parse, or TCP closed mid-message.</summary>
    Malformed,
}
