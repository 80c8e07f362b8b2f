using System.Net;

namespace Holdfast.Push;

/// <summary>
/// Sends one DNS message to a server and returns its answer (the message with the same ID). The push worker's seam to
/// the network; <see cref="DnsExchange"/> is the real one. Thread-safe.
/// </summary>
public interface IDnsExchange
{
    /// <summary>Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires (the caller's timeout), a <see cref="System.Net.Sockets.SocketException"/> when the server cannot be reached.</summary>
    Task<byte[]> ExchangeAsync(IPEndPoint server, byte[] message, bool overTcp, CancellationToken cancellationToken);
}
