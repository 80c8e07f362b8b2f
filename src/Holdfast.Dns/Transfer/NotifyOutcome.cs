using System.Net;

namespace Holdfast.Dns.Transfer;

/// <summary>How one NOTIFY to one secondary ended.</summary>
public enum NotifyResult
{
    /// <summary>The secondary answered NOERROR.</summary>
    Acknowledged,

    /// <summary>The secondary answered with an error RCODE (it heard us, and said no): not retried.</summary>
    Rejected,

    /// <summary>No answer after every try (RFC 1996 §3.6 bounds the retries).</summary>
    GaveUp,

    /// <summary>A newer serial of the zone was announced to the same secondary before this one finished.</summary>
    Superseded,
}

/// <summary>The end of one NOTIFY exchange, raised by <see cref="ZoneNotifier.Completed"/>.</summary>
/// <param name="Rcode">The answer's RCODE, or -1 when there was none.</param>
public sealed record NotifyOutcome(string Zone, IPEndPoint Target, uint Serial, int Attempts, NotifyResult Result, int Rcode);
