using Holdfast.Dns.Query;

namespace Holdfast.Dns.Transport;

/// <summary>
/// Told about every answered query (metrics). Called on the receive loop's own thread for every packet: it
/// must not allocate, block or throw.
/// </summary>
public interface IDnsQueryObserver
{
    /// <param name="outcome">The zone, type and RCODE the engine decided: the message is not read again.</param>
    /// <param name="elapsed">Time from the end of receiving the request to the end of writing the response.</param>
    void Answered(in QueryOutcome outcome, TimeSpan elapsed);
}
