using System.Globalization;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Records;

/// <summary>
/// Type mnemonics (RFC 1035 §3.2.2 and later) and the generic <c>TYPEnnn</c> form of RFC 3597 §5 for every
/// other type. Only the types whose presentation form Holdfast reads and writes have a mnemonic here.
/// </summary>
public static class RecordTypes
{
    private static readonly Dictionary<string, ushort> s_byName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["A"] = DnsType.A,
        ["NS"] = DnsType.Ns,
        ["CNAME"] = DnsType.Cname,
        ["SOA"] = DnsType.Soa,
        ["PTR"] = DnsType.Ptr,
        ["MX"] = DnsType.Mx,
        ["TXT"] = DnsType.Txt,
        ["AAAA"] = DnsType.Aaaa,
        ["SRV"] = DnsType.Srv,
        ["CAA"] = DnsType.Caa,
    };

    private static readonly Dictionary<ushort, string> s_byType = s_byName.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>True for the types with a presentation form of their own (the rest use RFC 3597 generic form).</summary>
    public static bool IsKnown(ushort type) => s_byType.ContainsKey(type);

    /// <summary>The mnemonic, or <c>TYPEnnn</c> (RFC 3597 §5).</summary>
    public static string Name(ushort type) =>
        s_byType.TryGetValue(type, out var name) ? name : "TYPE" + type.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a mnemonic or <c>TYPEnnn</c>, case-insensitively.</summary>
    public static bool TryParse(string text, out ushort type)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (s_byName.TryGetValue(text, out type))
        {
            return true;
        }

        return text.Length > 4 && text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out type);
    }

    /// <summary>
    /// RFC 6895 §3.1: type 0 and the meta and question-only types (OPT, TKEY, TSIG, IXFR, AXFR, MAILB,
    /// MAILA, ANY: 41 and 128–255) never appear as zone data.
    /// </summary>
    public static bool IsDataType(ushort type) => type is not (0 or DnsType.Opt) and not (>= 128 and <= 255);
}
