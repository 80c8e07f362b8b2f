using System.Buffers.Binary;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Query;

/// <summary>The EDNS options of an answer: NSID, COOKIE and edns-tcp-keepalive, each only when the query asked.</summary>
public sealed partial class QueryEngine
{
    private const ushort OptionNsid = 3;
    private const ushort OptionCookie = 10;
    private const ushort OptionKeepalive = 11;

    /// <summary>Writes the answer's options into <paramref name="buffer"/> and returns the part written.</summary>
    /// <param name="validServerCookie">The query carried a server cookie this server made for this client, still in
    /// its window (RFC 9018 §4.3): the client has proven its address (RFC 7873 §5.3), so the rate limiter lets it by.</param>
    private Span<byte> WriteOptions(ReadOnlySpan<byte> query, ParsedQuery q, bool overUdp, ReadOnlySpan<byte> clientAddress, Span<byte> buffer, out bool validServerCookie)
    {
        validServerCookie = false;
        var length = 0;
        if (q.NsidRequested && _features.Nsid is { } nsid)
        {
            // RFC 5001 §2.3: the server's identifier as the option data.
            length += WriteOption(buffer[length..], OptionNsid, nsid);
        }

        if (q.CookieOffset > 0 && !q.CookieMalformed && _features.CookieSecret is { } secret)
        {
            // RFC 7873 §5.2.3-5.2.5: echo the client cookie and add a fresh server cookie, whatever the query's server
            // cookie was (Holdfast always answers; it never sends BADCOOKIE). The received one is verified only to
            // tell the rate limiter, which limits UDP alone (TCP proves the address by its handshake): over TCP the
            // SipHash would be spent for nothing. One clock reading serves both.
            var now = (uint)_features.Time!.GetUtcNow().ToUnixTimeSeconds();
            var received = query.Slice(q.CookieOffset, q.CookieLength);
            validServerCookie = overUdp && ServerCookie.IsValid(received, secret, now, clientAddress);
            Span<byte> cookie = stackalloc byte[ServerCookie.ClientCookieLength + ServerCookie.Length];
            received[..ServerCookie.ClientCookieLength].CopyTo(cookie);
            ServerCookie.Write(cookie[ServerCookie.ClientCookieLength..], received, secret, now, clientAddress);
            length += WriteOption(buffer[length..], OptionCookie, cookie);
        }

        if (q.KeepaliveRequested && !overUdp)
        {
            // RFC 7828 §3.3.2: TIMEOUT in units of 100 milliseconds; §3.2.1: never over UDP.
            Span<byte> timeout = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(timeout, (ushort)(_features.TcpKeepalive.Ticks / TimeSpan.FromMilliseconds(100).Ticks));
            length += WriteOption(buffer[length..], OptionKeepalive, timeout);
        }

        return buffer[..length];
    }

    private static int WriteOption(Span<byte> destination, ushort code, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, code);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)data.Length);
        data.CopyTo(destination[4..]);
        return 4 + data.Length;
    }
}
