using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Records;

/// <summary>The QTYPE and RCODE mnemonics Holdfast prints (metrics label by them, so the set is fixed and small).</summary>
public sealed class MnemonicTests
{
    [Fact]
    public void NamedQuestionTypes_AreTheDataTypesThenTheQuestionOnlyOnes()
    {
        RecordTypes.NamedQuestionTypes.Select(t => RecordTypes.QuestionName(t)).ShouldBe(
            ["A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "SRV", "CAA", "IXFR", "AXFR", "ANY"]);
        RecordTypes.NamedQuestionTypes.Where(RecordTypes.IsKnown).ShouldAllBe(t => RecordTypes.QuestionName(t) == RecordTypes.Name(t));
    }

    [Theory]
    [InlineData(DnsType.Axfr, "TYPE252")]
    [InlineData(DnsType.Any, "TYPE255")]
    [InlineData(DnsType.Ixfr, "TYPE251")]
    public void QuestionOnlyTypes_AreNotZoneDataMnemonics(ushort type, string generic)
    {
        RecordTypes.Name(type).ShouldBe(generic, "zone data and its messages keep the RFC 3597 form");
        RecordTypes.TryParse(RecordTypes.QuestionName(type)!, out _).ShouldBeFalse("a zone file cannot say AXFR");
    }

    [Theory]
    [InlineData(43)]
    [InlineData(0)]
    [InlineData(65535)]
    public void QuestionName_OfAnUnnamedType_IsNull(ushort type) => RecordTypes.QuestionName(type).ShouldBeNull();

    [Theory]
    [InlineData(DnsRcode.NoError, "NOERROR")]
    [InlineData(DnsRcode.FormErr, "FORMERR")]
    [InlineData(DnsRcode.NxDomain, "NXDOMAIN")]
    [InlineData(DnsRcode.Refused, "REFUSED")]
    [InlineData(Holdfast.Dns.Update.UpdateRcode.YxDomain, "YXDOMAIN")]
    [InlineData(Holdfast.Dns.Update.UpdateRcode.NotZone, "NOTZONE")]
    [InlineData(11, "11")]
    [InlineData(DnsRcode.BadVers, "BADVERS")]
    public void RcodeName_IsTheMnemonicOrTheNumber(int rcode, string name) => DnsRcode.Name(rcode).ShouldBe(name);
}
