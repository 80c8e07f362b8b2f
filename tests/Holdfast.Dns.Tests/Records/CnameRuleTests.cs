using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Records;

/// <summary>A CNAME stands alone (RFC 1034 §3.6.2) and single (RFC 2181 §10.1): the rule as a table, and its messages.</summary>
public sealed class CnameRuleTests
{
    [Theory]
    // adding           name has CNAME  name has other   conflict
    [InlineData(DnsType.Cname, false, false, CnameConflict.None)]
    [InlineData(DnsType.Cname, true, false, CnameConflict.SecondCname)]
    [InlineData(DnsType.Cname, false, true, CnameConflict.BesideOtherData)]
    [InlineData(DnsType.A, true, false, CnameConflict.BesideOtherData)]
    [InlineData(DnsType.Txt, false, true, CnameConflict.None)]
    [InlineData(DnsType.A, false, false, CnameConflict.None)]
    public void Check_OneRecordAgainstTheName(ushort type, bool nameHasCname, bool nameHasOtherData, CnameConflict conflict) =>
        CnameRule.Check(type, nameHasCname, nameHasOtherData).ShouldBe(conflict);

    [Theory]
    [InlineData(new ushort[] { DnsType.Cname }, CnameConflict.None)]
    [InlineData(new ushort[] { DnsType.A, DnsType.Txt }, CnameConflict.None)]
    [InlineData(new ushort[] { DnsType.Cname, DnsType.Txt }, CnameConflict.BesideOtherData)]
    [InlineData(new ushort[0], CnameConflict.None)]
    public void Check_TheTypesOfAWholeName(ushort[] types, CnameConflict conflict) =>
        CnameRule.Check(new HashSet<ushort>(types)).ShouldBe(conflict);

    [Theory]
    [InlineData(CnameConflict.SecondCname, null, 2, "a second CNAME at www.svc.example. (the first is on line 2): a name has at most one (RFC 2181 §10.1)")]
    [InlineData(CnameConflict.SecondCname, "a.zone", 7, "a second CNAME at www.svc.example. (the first is at a.zone:7): a name has at most one (RFC 2181 §10.1)")]
    [InlineData(CnameConflict.BesideOtherData, null, 3, "www.svc.example. has a CNAME and other data (see line 3): a CNAME must be alone at its name (RFC 1034 §3.6.2)")]
    [InlineData(CnameConflict.BesideOtherData, "a.zone", 3, "www.svc.example. has a CNAME and other data (see a.zone:3): a CNAME must be alone at its name (RFC 1034 §3.6.2)")]
    [InlineData(CnameConflict.BesideOtherData, null, 0, "www.svc.example. has a CNAME and other data: a CNAME must be alone at its name (RFC 1034 §3.6.2)")]
    public void Describe_NamesTheOtherRecord(CnameConflict conflict, string? file, int line, string message) =>
        CnameRule.Describe(conflict, "www.svc.example.", file, line).ShouldBe(message);

    [Fact]
    public void Describe_NoConflict_IsABug() =>
        Should.Throw<ArgumentOutOfRangeException>(() => CnameRule.Describe(CnameConflict.None, "www.svc.example."));
}
