namespace Holdfast.Dns.Wire;

/// <summary>How a packet read as a query turned out.</summary>
public enum QueryReadStatus
{
    /// <summary>A well-formed query.</summary>
    Ok,

    /// <summary>Not worth an answer: shorter than a header, or a response (QR=1) — answering responses invites loops.</summary>
    Drop,

    /// <summary>A header we can answer, but a malformed body: answer FORMERR.</summary>
    FormErr,

    /// <summary>An opcode other than QUERY: answer NOTIMP (RFC 1035 §4.1.1).</summary>
    NotImp,
}
