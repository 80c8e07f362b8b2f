using System.Buffers.Binary;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Query;

/// <summary>What the engine answers to queries the strict reader rejects or marks (DnsQueryReader's table).</summary>
public sealed class StrictQueryTests
{
    private static readonly QueryEngine s_engine = new(TestZones.Standard());

    private static ResponseView Ask(byte[] query)
    {
        var response = new byte[DnsConstants.TcpLimit];
        var length = s_engine.Answer(query, response, overUdp: true);
        length.ShouldBeGreaterThan(0);
        return ResponseView.Parse(response.AsSpan(0, length));
    }

    /// <summary>A query for api.svc.example. A with an OPT whose RDATA is <paramref name="options"/>.</summary>
    private static byte[] WithOptions(params byte[] options)
    {
        var query = DnsQueryBuilder.Build(5, "api.svc.example.", DnsType.A, ednsPayload: 1232);
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(query.Length - 2), (ushort)options.Length);
        return [.. query, .. options];
    }

    [Fact]
    public void Answer_OptionOverrunningTheOpt_IsFormErrWithAnOptAndTheQuestion()
    {
        // RFC 6891 §7: a problem with the OPT itself is FORMERR, and the response carries an OPT.
        var response = Ask(WithOptions(0xFD, 0xE9, 0, 9, 1));
        response.Rcode.ShouldBe(DnsRcode.FormErr);
        response.Question.ShouldBe(["api.svc.example. A"]);
        response.Additional.ShouldHaveSingleItem().ShouldStartWith("OPT 1232");
    }

    [Fact]
    public void Answer_TrailingOctets_IsFormErrWithoutOptWhenTheQueryHadNone()
    {
        var response = Ask([.. DnsQueryBuilder.Build(5, "api.svc.example.", DnsType.A), 0]);
        response.Rcode.ShouldBe(DnsRcode.FormErr);
        response.Additional.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(7)]
    [InlineData(41)]
    public void Answer_MalformedCookie_IsFormErrWithAnOpt(int length)
    {
        var response = Ask(WithOptions([0, 10, 0, (byte)length, .. new byte[length]]));
        response.Rcode.ShouldBe(DnsRcode.FormErr);
        response.Additional.ShouldHaveSingleItem().ShouldStartWith("OPT");
    }

    [Fact]
    public void Answer_MalformedCookieUnderEdnsVersion1_IsBadVers()
    {
        var query = WithOptions([0, 10, 0, 7, .. new byte[7]]);
        query[DnsConstants.HeaderLength + 17 + 4 + 6] = 1; // past header, question (17 + 4), OPT owner, type, class, EXTENDED-RCODE: VERSION
        Ask(query).Rcode.ShouldBe(DnsRcode.BadVers);
    }

    [Fact]
    public void Answer_SignedQuery_IsNotAuthWithAnUnsignedBadKeyTsig()
    {
        var query = DnsQueryBuilder.Build(0x1234, "api.svc.example.", DnsType.A);
        byte[] tsig = [3, (byte)'k', (byte)'e', (byte)'y', 0, 0, 250, 0, 255, 0, 0, 0, 0, 0, 61,
            11, .. "hmac-sha256"u8, 0, 0, 0, 0x69, 0x55, 0xB9, 0, 1, 0x2C, 0, 32, .. new byte[32], 0x12, 0x34, 0, 0, 0, 0];
        query[11] = 1;
        var response = new byte[512];
        var length = s_engine.Answer([.. query, .. tsig], response, overUdp: true);
        var view = ResponseView.Parse(response.AsSpan(0, length));
        view.Rcode.ShouldBe(Tsig.NotAuth);
        view.Answer.ShouldBeEmpty();
        // The TSIG: key name, type 250, class ANY, TTL 0, then algorithm, time, fudge, MAC size 0, Original ID, BADKEY, other length 0.
        var rdata = response.AsSpan(length - (13 + 6 + 2 + 2 + 2 + 2 + 2));
        BinaryPrimitives.ReadUInt16BigEndian(rdata[(13 + 8)..]).ShouldBe((ushort)0, "MAC size");
        BinaryPrimitives.ReadUInt16BigEndian(rdata[(13 + 10)..]).ShouldBe((ushort)0x1234, "Original ID");
        BinaryPrimitives.ReadUInt16BigEndian(rdata[(13 + 12)..]).ShouldBe(Tsig.BadKey);
        BinaryPrimitives.ReadUInt16BigEndian(rdata[(13 + 14)..]).ShouldBe((ushort)0, "other length");
        BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(10)).ShouldBe((ushort)1, "ARCOUNT: the TSIG");
    }

    [Fact]
    public void Answer_QtypeZero_IsNotImp() =>
        Ask(DnsQueryBuilder.Build(5, "api.svc.example.", 0)).Rcode.ShouldBe(DnsRcode.NotImp);

    [Fact]
    public void Answer_AnyAtACname_IsTheCnameAlone()
    {
        // RFC 1034 §3.7.1: QTYPE * matches every type, the CNAME included, so the chain is not followed.
        var response = Ask(DnsQueryBuilder.Build(5, "www.svc.example.", DnsType.Any));
        response.Answer.ShouldBe(["www.svc.example. 300 CNAME api.svc.example."]);
    }

    [Fact]
    public void Answer_RecordsInAnswerAndAuthority_AreReadAndIgnored()
    {
        var query = DnsQueryBuilder.Build(5, "api.svc.example.", DnsType.A);
        query[7] = 1;
        query[9] = 1;
        byte[] a = [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1];
        var response = Ask([.. query, .. a, .. a]);
        response.Rcode.ShouldBe(DnsRcode.NoError);
        response.Answer.Length.ShouldBe(3);
    }
}
