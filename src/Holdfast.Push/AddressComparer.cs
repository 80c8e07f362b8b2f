using System.Net;

namespace Holdfast.Push;

/// <summary>Orders addresses IPv4 before IPv6, then by their octets: the order in which records are compared and pushed.</summary>
internal sealed class AddressComparer : IComparer<IPAddress>
{
    public static AddressComparer Instance { get; } = new();

    public int Compare(IPAddress? x, IPAddress? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var a = x.GetAddressBytes();
        var b = y.GetAddressBytes();
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
    }
}
