using System.Buffers.Binary;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Query;

/// <summary>The EDNS options of an answer: NSID, COOKIE and edns-tcp-keepalive, each only when the query asked.</summary>
public sealed partial class QueryEngine
{
    private const ushort OptionNsid = 3;
    private const ushort OptionCookie = 10;
    private const ushort OptionKeepalive = 11;
    private const int ClientCookieLength = 8;

    /// <summary>Writes the answer's options into <paramref name="buffer"/> and returns the part written.</summary>
    private Span<byte> WriteOptions(ReadOnlySpan<byte> query, ParsedQuery q, bool overUdp, ReadOnlySpan<byte> clientAddress, Span<byte> buffer)
    {
        var length = 0;
        if (q.NsidRequested && _features.Nsid is { } nsid)
        {
            // RFC 5001 §2.3: the server's identifier as the option data.
            length += WriteOption(buffer[length..], OptionNsid, nsid);
        }

        if (q.CookieOffset > 0 && !q.CookieMalformed && _features.CookieSecret is { } secret)
        {
            // RFC 7873 §5.2.3-5.2.5: echo the client cookie and add a fresh server cookie, whatever the query's server
            // cookie was (Holdfast always answers; it never sends BADCOOKIE).
            Span<byte> cookie = stackalloc byte[ClientCookieLength + 16];
            query.Slice(q.CookieOffset, ClientCookieLength).CopyTo(cookie);
            WriteServerCookie(cookie, secret, clientAddress);
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

    /// <summary>
    /// RFC 9018 §4: Version 1, Reserved 0, Timestamp (seconds, serial-number arithmetic), then SipHash-2-4 over client
    /// cookie | Version | Reserved | Timestamp | client IP, keyed with the secret. <paramref name="cookie"/> holds the
    /// client cookie in its first 8 octets; the 16 octets after it are written.
    /// </summary>
    private void WriteServerCookie(Span<byte> cookie, byte[] secret, ReadOnlySpan<byte> clientAddress)
    {
        var server = cookie[ClientCookieLength..];
        server[0] = 1;
        server[1..4].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(server[4..], (uint)_features.Time!.GetUtcNow().ToUnixTimeSeconds());
        Span<byte> input = stackalloc byte[ClientCookieLength + 8 + 16];
        cookie[..(ClientCookieLength + 8)].CopyTo(input);
        clientAddress.CopyTo(input[(ClientCookieLength + 8)..]);
        var hash = SipHash.Hash24(secret, input[..(ClientCookieLength + 8 + clientAddress.Length)]);
        BinaryPrimitives.WriteUInt64LittleEndian(server[8..], hash);
    }

    private static int WriteOption(Span<byte> destination, ushort code, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, code);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)data.Length);
        data.CopyTo(destination[4..]);
        return 4 + data.Length;
    }
}
