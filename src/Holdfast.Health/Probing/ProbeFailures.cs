using System.Globalization;
using System.Net.Sockets;

namespace Holdfast.Health.Probing;

/// <summary>Turns a failed connection into the reason an operator reads in the API.</summary>
internal static class ProbeFailures
{
    public static ProbeResult Timeout(TimeSpan timeout) =>
        ProbeResult.Down("timeout after " + timeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms");

    public static ProbeResult FromSocket(SocketError error, TimeSpan timeout) => error switch
    {
        SocketError.ConnectionRefused => ProbeResult.Down("connection refused"),
        SocketError.ConnectionReset => ProbeResult.Down("connection reset"),
        SocketError.TimedOut => Timeout(timeout),
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound => ProbeResult.Down("unreachable: " + error),
        _ => ProbeResult.Down("socket error: " + error),
    };
}
