using System.Globalization;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Records;

/// <summary>
/// A CNAME stands alone: a name that has a CNAME has no other data (RFC 1034 §3.6.2) and exactly one CNAME
/// (RFC 2181 §10.1). The one statement of that rule and of its messages; the master file reader, the zone snapshot
/// editor and the control plane's static zone records all ask it.
/// </summary>
/// <remarks>
/// <code>
/// the name has                adding      conflict
/// nothing                     anything    none
/// a CNAME                     a CNAME     SecondCname (an identical record is the same record, RFC 2181 §5: the
///                                         caller decides whether it counts, by what it passes as nameHasCname)
/// a CNAME                     other type  BesideOtherData
/// other data                  a CNAME     BesideOtherData
/// </code>
/// The apex always has other data (its SOA and NS), so a CNAME there is always a conflict.
/// </remarks>
public static class CnameRule
{
    /// <summary>What adding a record of <paramref name="type"/> at a name breaks, given what the name has already.</summary>
    /// <param name="nameHasCname">The name has a CNAME (other than one identical to the record, if the caller merges those).</param>
    /// <param name="nameHasOtherData">The name has records of a type other than CNAME.</param>
    public static CnameConflict Check(ushort type, bool nameHasCname, bool nameHasOtherData) => type == DnsType.Cname
        ? nameHasCname ? CnameConflict.SecondCname : nameHasOtherData ? CnameConflict.BesideOtherData : CnameConflict.None
        : nameHasCname ? CnameConflict.BesideOtherData : CnameConflict.None;

    /// <summary>What the complete set of types at one name breaks (a node holds one RRset per type, so never a second CNAME).</summary>
    public static CnameConflict Check(IReadOnlyCollection<ushort> typesAtName)
    {
        ArgumentNullException.ThrowIfNull(typesAtName);
        return Check(DnsType.Cname, nameHasCname: false, nameHasOtherData: typesAtName.Contains(DnsType.Cname) && typesAtName.Count > 1);
    }

    /// <summary>
    /// The message for a conflict at <paramref name="owner"/>. The other record is pointed to by line, in the same file
    /// (<paramref name="otherFile"/> null), or by <c>file:line</c>; a line of 0 points nowhere.
    /// </summary>
    public static string Describe(CnameConflict conflict, string owner, string? otherFile = null, int otherLine = 0)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var other = otherFile is null ? $"line {otherLine.ToString(CultureInfo.InvariantCulture)}" : $"{otherFile}:{otherLine.ToString(CultureInfo.InvariantCulture)}";
        return conflict switch
        {
            CnameConflict.SecondCname =>
                $"a second CNAME at {owner}{(otherLine == 0 ? "" : $" (the first is {(otherFile is null ? "on" : "at")} {other})")}: a name has at most one (RFC 2181 §10.1)",
            CnameConflict.BesideOtherData =>
                $"{owner} has a CNAME and other data{(otherLine == 0 ? "" : $" (see {other})")}: a CNAME must be alone at its name (RFC 1034 §3.6.2)",
            _ => throw new ArgumentOutOfRangeException(nameof(conflict), conflict, "no conflict to describe"),
        };
    }

    /// <summary>The message for a CNAME at a zone's apex when the apex's SOA and NS are not records the caller holds.</summary>
    public static string DescribeAtApex(string apex) =>
        $"a CNAME at the apex {apex}, which has the SOA and NS records: a CNAME must be alone at its name (RFC 1034 §3.6.2)";
}
