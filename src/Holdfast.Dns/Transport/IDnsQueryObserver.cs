namespace Holdfast.Dns.Transport;

/// <summary>
/// Told about every answered query (metrics). Called on the receive loop's own thread for every packet: it
/// must not allocate, block or throw. The spans are only valid during the call.
/// </summary>
public interface IDnsQueryObserver
{
    /// <param name="query">The request as received.</param>
    /// <param name="response">The response sent (header first; RCODE in the low four bits of octet 3).</param>
    /// <param name="elapsed">Time from the end of receiving the request to the end of writing the response.</param>
    void Answered(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, TimeSpan elapsed);
}
