namespace Holdfast.Dns.Wire;

/// <summary>Resource record types Holdfast knows by name (RFC 1035 §3.2.2 and later RFCs); others are opaque (RFC 3597).</summary>
public static class DnsType
{
    public const ushort A = 1;
    public const ushort Ns = 2;
    public const ushort Cname = 5;
    public const ushort Soa = 6;
#pragma warning disable CA1720 // PTR is the record type's own name (RFC 1035 §3.3.12), not a .NET type.
    public const ushort Ptr = 12;
#pragma warning restore CA1720
    public const ushort Mx = 15;
    public const ushort Txt = 16;
    public const ushort Aaaa = 28;
    public const ushort Srv = 33;

    /// <summary>RFC 4034 §5: held by the parent side of a zone cut.</summary>
    public const ushort Ds = 43;
    public const ushort Opt = 41;
    public const ushort Ixfr = 251;
    public const ushort Axfr = 252;
    public const ushort Any = 255;
    public const ushort Caa = 257;
}
