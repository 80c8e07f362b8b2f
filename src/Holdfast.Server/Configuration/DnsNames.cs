namespace Holdfast.Server.Configuration;

/// <summary>Checks and normalizes names in configuration: lower case, absolute (trailing dot), RFC 1035 §2.3.4 lengths.</summary>
internal static class DnsNames
{
    public static string? Absolute(ConfigSection s, string key, bool required)
    {
        var text = s.String(key, required);
        if (text is null)
        {
            return null;
        }

        if (TryAbsolute(text, out var name))
        {
            return name;
        }

        s.Error(key, $"expected a DNS name (labels of letters, digits, '-' or '_', at most 63 characters each, 253 in all), got '{text}'");
        return null;
    }

    /// <summary>Accepts <c>svc.example</c> or <c>svc.example.</c>; returns <c>svc.example.</c>.</summary>
    public static bool TryAbsolute(string text, out string name)
    {
        name = "";
        var trimmed = text.Trim().TrimEnd('.');
        if (trimmed.Length is 0 or > 253 || text.Trim().EndsWith("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        name = trimmed.ToLowerInvariant() + ".";
        return true;
    }

    public static bool IsIdentifier(string text) =>
        text.Length is > 0 and <= 63 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static bool IsWithin(string name, string apex) =>
        name == apex || name.EndsWith("." + apex, StringComparison.Ordinal);
}
