namespace Holdfast.Dns.Transfer;

/// <summary>
/// Serial number arithmetic of RFC 1982 §3.2 for 32-bit SOA serials: <c>s1 &lt; s2</c> when
/// <c>(s1 &lt; s2 and s2 - s1 &lt; 2^31)</c> or <c>(s1 &gt; s2 and s1 - s2 &gt; 2^31)</c>. Two serials exactly
/// 2^31 apart are not comparable; RFC 1982 leaves the result undefined, and Holdfast treats them as "not newer".
/// </summary>
public static class SerialNumber
{
    /// <summary>True when <paramref name="s1"/> is before <paramref name="s2"/> (wrapping).</summary>
    public static bool IsBefore(uint s1, uint s2)
    {
        // Differences are taken modulo 2^32; "before" means s2 lies in the half-circle after s1.
        var distance = unchecked(s2 - s1);
        return distance is not 0 and < 0x8000_0000u;
    }

    /// <summary>-1, 0 or 1 as <paramref name="s1"/> is before, equal to or after <paramref name="s2"/>; null when undefined (2^31 apart).</summary>
    public static int? Compare(uint s1, uint s2) =>
        s1 == s2 ? 0 : IsBefore(s1, s2) ? -1 : IsBefore(s2, s1) ? 1 : null;
}
