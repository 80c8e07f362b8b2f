namespace Holdfast.Dns.Query;

/// <summary>
/// EDNS options the engine answers (RFC 6891 §6.1.2): NSID (RFC 5001), DNS Cookies (RFC 7873 with the interoperable
/// server cookies of RFC 9018) and edns-tcp-keepalive (RFC 7828). Each is answered only to a query that carries it.
/// </summary>
public sealed record EdnsFeatures
{
    /// <summary>Longest NSID payload accepted (RFC 5001 sets no limit; a short identifier keeps answers small).</summary>
    public const int MaxNsidLength = 128;

    /// <summary>The server's identifier returned to a query with an NSID option (RFC 5001 §2.3); null (default) sends none.</summary>
    public byte[]? Nsid { get; init; }

    /// <summary>
    /// 16-octet SipHash-2-4 key for server cookies (RFC 9018 §4.4); every server of one anycast name should share it.
    /// Received server cookies are verified with it (<see cref="ServerCookie.IsValid"/>); there is no previous key for a
    /// roll-over. Null (default) turns cookies off: COOKIE options are then only checked for form, and none is valid.
    /// </summary>
    public byte[]? CookieSecret { get; init; }

    /// <summary>
    /// The idle timeout announced over TCP to a query with edns-tcp-keepalive (RFC 7828 §3.3.2), in units of 100 ms on
    /// the wire; keep it equal to the server's TCP idle timeout. Default 10 seconds. Never sent over UDP (§3.2.1).
    /// </summary>
    public TimeSpan TcpKeepalive { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock of server-cookie timestamps (RFC 9018 §4.2); required with <see cref="CookieSecret"/>.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Throws with the name of the bad setting.</summary>
    public void Validate()
    {
        if (Nsid is { Length: 0 or > MaxNsidLength })
        {
            throw new ArgumentException($"nsid: 1 to {MaxNsidLength} octets, not {Nsid.Length}", nameof(Nsid));
        }

        if (CookieSecret is { Length: not 16 })
        {
            throw new ArgumentException($"cookie secret: 16 octets (RFC 9018 §4.4 SipHash-2-4 key), not {CookieSecret.Length}", nameof(CookieSecret));
        }

        if (CookieSecret is not null && Time is null)
        {
            throw new ArgumentException("cookie secret: a clock (Time) is needed for server-cookie timestamps", nameof(Time));
        }

        if (TcpKeepalive < TimeSpan.Zero || TcpKeepalive.TotalMilliseconds / 100 > ushort.MaxValue)
        {
            throw new ArgumentException($"tcp keepalive: 0 to {ushort.MaxValue / 10} seconds, not {TcpKeepalive}", nameof(TcpKeepalive));
        }
    }
}
