namespace Holdfast.Client.Resolution;

/// <summary>Which address records a name is resolved to.</summary>
[Flags]
public enum AddressFamilies
{
    None = 0,

    /// <summary>A records (RFC 1035 §3.4.1).</summary>
    IPv4 = 1,

    /// <summary>AAAA records (RFC 3596).</summary>
    IPv6 = 2,

    Both = IPv4 | IPv6,
}
