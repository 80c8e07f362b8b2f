using System.Buffers.Binary;
using System.Security.Cryptography;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Query;

/// <summary>
/// Interoperable DNS server cookies (RFC 9018 §4), made and verified with no allocation:
/// <code>
/// octets  field      value
/// 1       Version    1
/// 3       Reserved   0 when made; any value accepted (it is hashed as received, RFC 9018 Appendix A.3)
/// 4       Timestamp  seconds since 1970, serial-number arithmetic (RFC 1982), so 2106 wraps harmlessly
/// 8       Hash       SipHash-2-4(secret, client cookie | Version | Reserved | Timestamp | client IP), little-endian
/// </code>
/// Pure: the time is a value the caller reads from its clock once per query.
/// </summary>
public static class ServerCookie
{
    /// <summary>Octets of a client cookie (RFC 7873 §4.1).</summary>
    public const int ClientCookieLength = 8;

    /// <summary>Octets of a server cookie of RFC 9018's form.</summary>
    public const int Length = 16;

    /// <summary>
    /// RFC 9018 §4.3: "The DNS server SHOULD allow cookies within a 1-hour period in the past and a 5-minute period
    /// into the future". Both edges belong to the window.
    /// </summary>
    public const int MaxAgeSeconds = 3600;

    /// <inheritdoc cref="MaxAgeSeconds"/>
    public const int MaxAheadSeconds = 300;

    private const byte Version = 1;
    private const int HashedPrefixLength = ClientCookieLength + 8;

    /// <summary>Writes a fresh server cookie into the first <see cref="Length"/> octets of <paramref name="destination"/>.</summary>
    /// <param name="clientCookie">The query's 8-octet client cookie.</param>
    /// <param name="secret">The 16-octet SipHash-2-4 key.</param>
    /// <param name="clientAddress">4 or 16 octets (RFC 9018 §4.4: the client's IP address as seen by the server); empty when unknown.</param>
    public static void Write(Span<byte> destination, ReadOnlySpan<byte> clientCookie, ReadOnlySpan<byte> secret, uint timestamp, ReadOnlySpan<byte> clientAddress)
    {
        destination[0] = Version;
        destination[1..4].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Hash(clientCookie, destination[..8], secret, clientAddress));
    }

    /// <summary>
    /// Whether <paramref name="cookie"/> (the COOKIE option data: client cookie, then server cookie) carries a server
    /// cookie this secret made for this client address and client cookie, within the window of RFC 9018 §4.3 at
    /// <paramref name="now"/>. A client cookie alone, a server cookie of another length or version (RFC 7873 §5.2.3:
    /// another server's form), an altered octet, another client address, or a timestamp outside the window: false.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> secret, uint now, ReadOnlySpan<byte> clientAddress)
    {
        if (cookie.Length != ClientCookieLength + Length || secret.Length != 16 || clientAddress.Length is not (0 or 4 or 16))
        {
            return false;
        }

        var server = cookie[ClientCookieLength..];
        if (server[0] != Version)
        {
            return false;
        }

        // RFC 1982 serial-number arithmetic: the signed 32-bit difference, so a timestamp just before the wrap
        // and a clock just after it are seconds apart, not 136 years.
        var age = (int)(now - BinaryPrimitives.ReadUInt32BigEndian(server[4..]));
        if (age > MaxAgeSeconds || age < -MaxAheadSeconds)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(expected, Hash(cookie[..ClientCookieLength], server[..8], secret, clientAddress));

        // Constant time: a comparison that stops at the first wrong octet would tell a prober how many it got right.
        return CryptographicOperations.FixedTimeEquals(expected, server[8..]);
    }

    private static ulong Hash(ReadOnlySpan<byte> clientCookie, ReadOnlySpan<byte> versionReservedTimestamp, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> clientAddress)
    {
        Span<byte> input = stackalloc byte[HashedPrefixLength + 16];
        clientCookie[..ClientCookieLength].CopyTo(input);
        versionReservedTimestamp.CopyTo(input[ClientCookieLength..]);
        clientAddress.CopyTo(input[HashedPrefixLength..]);
        return SipHash.Hash24(secret, input[..(HashedPrefixLength + clientAddress.Length)]);
    }
}
