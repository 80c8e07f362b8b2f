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

    // QTYPEs that only ever appear in a question (RFC 1035 §3.2.3, RFC 1995 §3): never zone data, so TryParse does not
    // read them and Name keeps the generic form for them (a zone file that says AXFR is refused as TYPE252).
    private static readonly Dictionary<ushort, string> s_questionOnly = new()
    {
        [DnsType.Ixfr] = "IXFR",
        [DnsType.Axfr] = "AXFR",
        [DnsType.Any] = "ANY",
    };

    /// <summary>
    /// The QTYPEs with a mnemonic: every type of <see cref="IsKnown"/>, then IXFR, AXFR and ANY. A fixed, small set:
    /// metrics label queries by it, and every other QTYPE has only the unbounded <c>TYPEnnn</c> form.
    /// </summary>
    public static IReadOnlyList<ushort> NamedQuestionTypes { get; } = [.. s_byType.Keys, .. s_questionOnly.Keys];

    /// <summary>True for the types with a presentation form of their own (the rest use RFC 3597 generic form).</summary>
    public static bool IsKnown(ushort type) => s_byType.ContainsKey(type);

    /// <summary>The mnemonic, or <c>TYPEnnn</c> (RFC 3597 §5).</summary>
    public static string Name(ushort type) =>
        s_byType.TryGetValue(type, out var name) ? name : "TYPE" + type.ToString(CultureInfo.InvariantCulture);

    /// <summary>The mnemonic of a QTYPE in <see cref="NamedQuestionTypes"/> (ANY for 255, as dig writes it), or null.</summary>
    public static string? QuestionName(ushort type) =>
        s_byType.TryGetValue(type, out var name) || s_questionOnly.TryGetValue(type, out name) ? name : null;

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
