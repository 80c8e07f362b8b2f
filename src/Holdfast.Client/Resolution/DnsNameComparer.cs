namespace Holdfast.Client.Resolution;

/// <summary>
/// Compares names in presentation form as DNS does: ASCII case-insensitive (RFC 4343) and with or without the final
/// dot. Lets the cache key on the caller's string as given, so a lookup never allocates a normalised copy.
/// </summary>
public sealed class DnsNameComparer : IEqualityComparer<string>
{
    public static DnsNameComparer Instance { get; } = new();

    public bool Equals(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return ReferenceEquals(x, y);
        }

        return Trim(x).Equals(Trim(y), StringComparison.OrdinalIgnoreCase);
    }

    public int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return string.GetHashCode(Trim(obj), StringComparison.OrdinalIgnoreCase);
    }

    private static ReadOnlySpan<char> Trim(string name) =>
        name.Length > 1 && name[^1] == '.' ? name.AsSpan(0, name.Length - 1) : name.AsSpan();
}
