using System.Net.Sockets;

namespace Holdfast.Dns.Transport;

/// <summary>How a socket error affects a listener loop.</summary>
public enum SocketErrorKind
{
    /// <summary>One datagram or peer failed (ICMP unreachable reflected as ConnectionReset, a message too big): go on.</summary>
    Continue,

    /// <summary>The system is short of buffers or descriptors: pause briefly, then go on.</summary>
    BackOff,

    /// <summary>The socket itself is gone (closed, shut down, address invalid): stop the loop.</summary>
    Fatal,
}

/// <summary>Sorts socket errors into <see cref="SocketErrorKind"/>.</summary>
public static class SocketErrors
{
    public static SocketErrorKind Classify(SocketError error) => error switch
    {
        SocketError.ConnectionReset or SocketError.MessageSize or SocketError.HostUnreachable or SocketError.NetworkUnreachable
            or SocketError.ConnectionRefused or SocketError.TimedOut or SocketError.Interrupted => SocketErrorKind.Continue,
        SocketError.NoBufferSpaceAvailable or SocketError.TooManyOpenSockets or SocketError.TryAgain or SocketError.WouldBlock => SocketErrorKind.BackOff,
        _ => SocketErrorKind.Fatal,
    };
}
