namespace Holdfast.Dns.Names;

/// <summary>
/// Names as master files write them (RFC 1035 §5.1): <c>@</c> is the origin, a name ending in an unescaped
/// dot is absolute, any other name is relative to the origin.
/// </summary>
public static class RelativeName
{
    /// <param name="origin">An absolute name in presentation form (<c>svc.example.</c>, or <c>.</c> for the root).</param>
    public static bool TryResolve(string text, string origin, out byte[] wire, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(origin);
        if (text == "@")
        {
            return WireName.TryFromText(origin, out wire, out error);
        }

        if (text.Length == 0)
        {
            wire = [];
            error = "empty name";
            return false;
        }

        var absolute = IsAbsolute(text);
        var full = absolute ? text : origin == "." ? text + "." : text + "." + origin;
        if (!WireName.TryFromText(full, out wire, out error))
        {
            error = $"'{text}' is not a domain name: {error}";
            return false;
        }

        return true;
    }

    /// <summary>True when <paramref name="text"/> ends with a dot that is not escaped (<c>a\.</c> is relative, <c>a\\.</c> absolute).</summary>
    public static bool IsAbsolute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[^1] != '.')
        {
            return false;
        }

        // Walk the text resolving escapes; the final dot is absolute only if it was not consumed by one.
        var lastDotIsLiteral = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i += i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) ? 3 : 1;
                lastDotIsLiteral = false;
                continue;
            }

            lastDotIsLiteral = text[i] == '.';
        }

        return lastDotIsLiteral;
    }
}
