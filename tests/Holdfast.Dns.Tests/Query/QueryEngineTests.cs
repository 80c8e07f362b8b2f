using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Query;

/// <summary>DNS behaviour as data: a question against <see cref="TestZones.Standard"/> and the expected sections.</summary>
public sealed class QueryEngineTests
{
    private const string Soa = "svc.example. 60 SOA ns1.svc.example. hostmaster.svc.example. 42 3600 600 604800 60";

    public static TheoryData<string, ushort, int, bool, string[], string[]> Cases() => new()
    {
        // name                  type            rcode                aa     answer                                                                                                 authority
        { "api.svc.example.",    DnsType.A,      DnsRcode.NoError,    true,  ["api.svc.example. 60 A 127.0.0.1", "api.svc.example. 60 A 127.0.0.2", "api.svc.example. 60 A 127.0.0.3"], [] },
        { "api.svc.example.",    DnsType.Aaaa,   DnsRcode.NoError,    true,  [], [Soa] },
        { "api.svc.example.",    DnsType.Mx,     DnsRcode.NoError,    true,  [], [Soa] },
        { "v6.svc.example.",     DnsType.Aaaa,   DnsRcode.NoError,    true,  ["v6.svc.example. 30 AAAA ::1"], [] },
        { "svc.example.",        DnsType.Ns,     DnsRcode.NoError,    true,  ["svc.example. 3600 NS ns1.svc.example."], [] },
        { "svc.example.",        DnsType.Soa,    DnsRcode.NoError,    true,  ["svc.example. 3600 SOA ns1.svc.example. hostmaster.svc.example. 42 3600 600 604800 60"], [] },
        { "svc.example.",        DnsType.A,      DnsRcode.NoError,    true,  [], [Soa] },
        { "nope.svc.example.",   DnsType.A,      DnsRcode.NxDomain,   true,  [], [Soa] },
        { "x.api.svc.example.",  DnsType.A,      DnsRcode.NxDomain,   true,  [], [Soa] },
        { "c.svc.example.",      DnsType.A,      DnsRcode.NoError,    true,  [], [Soa] },
        { "b.c.svc.example.",    DnsType.Txt,    DnsRcode.NoError,    true,  [], [Soa] },
        { "www.svc.example.",    DnsType.A,      DnsRcode.NoError,    true,  ["www.svc.example. 300 CNAME api.svc.example.", "api.svc.example. 60 A 127.0.0.1", "api.svc.example. 60 A 127.0.0.2", "api.svc.example. 60 A 127.0.0.3"], [] },
        { "www.svc.example.",    DnsType.Cname,  DnsRcode.NoError,    true,  ["www.svc.example. 300 CNAME api.svc.example."], [] },
        { "out.svc.example.",    DnsType.A,      DnsRcode.NoError,    true,  ["out.svc.example. 300 CNAME elsewhere.example.org."], [] },
        { "other.example.",      DnsType.A,      DnsRcode.Refused,    false, [], [] },
        { "svc.example.",        DnsType.Axfr,   DnsRcode.Refused,    true,  [], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Answer_StandardZone_MatchesSections(string name, ushort type, int rcode, bool aa, string[] answer, string[] authority)
    {
        var response = Ask(new QueryEngine(TestZones.Standard()), DnsQueryBuilder.Build(7, name, type));
        response.Rcode.ShouldBe(rcode);
        response.Aa.ShouldBe(aa && rcode != DnsRcode.Refused);
        response.Qr.ShouldBeTrue();
        response.Id.ShouldBe((ushort)7);
        response.Answer.Order().ShouldBe(answer.Order());
        response.Authority.ShouldBe(authority);
    }

    [Fact]
    public void Answer_MixedCaseQuestion_EchoesCaseExactly()
    {
        var query = DnsQueryBuilder.Build(1, "ApI.SvC.ExAmPlE.", DnsType.A);
        var buffer = new byte[512];
        var length = new QueryEngine(TestZones.Standard()).Answer(query, buffer, overUdp: true);
        buffer.AsSpan(12, 18).ToArray().ShouldBe(query.AsSpan(12, 18).ToArray());
        ResponseView.Parse(buffer.AsSpan(0, length)).Answer.Length.ShouldBe(3);
    }

    [Fact]
    public void Answer_MaxAnswers_RotatesThroughEveryAddress()
    {
        var engine = new QueryEngine(TestZones.Standard(maxAnswers: 1));
        var seen = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            var answer = Ask(engine, DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.A)).Answer;
            answer.Length.ShouldBe(1);
            seen.Add(answer[0]);
        }

        seen.Count.ShouldBe(3);
    }

    [Fact]
    public void Answer_Edns_EchoesOptWithOurPayloadAndDoBit()
    {
        var response = Ask(new QueryEngine(TestZones.Standard()), DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.A, ednsPayload: 4096, dnssecOk: true));
        response.Additional.ShouldBe(["OPT 1232 do=True"]);
    }

    [Fact]
    public void Answer_EdnsVersion1_IsBadVersWithQuestionOnly()
    {
        var response = Ask(new QueryEngine(TestZones.Standard()), DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.A, ednsPayload: 1232, ednsVersion: 1));
        response.Rcode.ShouldBe(DnsRcode.BadVers);
        response.Answer.ShouldBeEmpty();
        response.Question.ShouldBe(["api.svc.example. A"]);
    }

    [Fact]
    public void Answer_UnknownOpcode_IsNotImp()
    {
        var query = DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.A);
        query[2] |= 2 << 3; // opcode 2 (STATUS)
        Ask(new QueryEngine(TestZones.Standard()), query).Rcode.ShouldBe(DnsRcode.NotImp);
    }

    [Fact]
    public void Answer_UnknownOpcodeWithoutQuestion_IsNotImpWithEmptyQuestion()
    {
        // Found by the fuzz test: the engine once copied a question that was never read.
        byte[] query = [0, 9, 2 << 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var response = Ask(new QueryEngine(TestZones.Standard()), query);
        response.Rcode.ShouldBe(DnsRcode.NotImp);
        response.Question.ShouldBeEmpty();
    }

    [Fact]
    public void Answer_TwoQuestions_IsFormErr()
    {
        var query = DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.A);
        query[5] = 2;
        var response = Ask(new QueryEngine(TestZones.Standard()), query);
        response.Rcode.ShouldBe(DnsRcode.FormErr);
        response.Question.ShouldBeEmpty();
    }

    [Fact]
    public void Answer_Response_IsDropped()
    {
        var query = DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.A);
        query[2] |= 0x80;
        new QueryEngine(TestZones.Standard()).Answer(query, new byte[512], overUdp: true).ShouldBe(0);
    }

    [Fact]
    public void Answer_TooLargeForUdp_SetsTcAndTcpGetsEverything()
    {
        var builder = new Holdfast.Dns.Zones.ZoneSnapshotBuilder("svc.example.").WithSoa("ns1.svc.example.", "h.svc.example.", 1);
        var many = Enumerable.Range(1, 60).Select(i => new Holdfast.Dns.Zones.EndpointAddress(System.Net.IPAddress.Parse($"127.0.1.{i}"))).ToList();
        var engine = new QueryEngine(new([builder.SetEndpoint("big.svc.example.", 60, 0, many).Build()]));
        var query = DnsQueryBuilder.Build(1, "big.svc.example.", DnsType.A);

        var udp = Ask(engine, query);
        udp.Tc.ShouldBeTrue();
        udp.Answer.ShouldBeEmpty();

        var buffer = new byte[65535];
        var length = engine.Answer(query, buffer, overUdp: false);
        var tcp = ResponseView.Parse(buffer.AsSpan(0, length));
        tcp.Tc.ShouldBeFalse();
        tcp.Answer.Length.ShouldBe(60);
    }

    [Fact]
    public void Answer_EndpointNameWithStaticTxt_AnswersBothTypes()
    {
        var zone = new Holdfast.Dns.Zones.ZoneSnapshotBuilder("svc.example.")
            .WithSoa("ns1.svc.example.", "h.svc.example.", 1)
            .SetEndpoint("api.svc.example.", 60, 0, [new(System.Net.IPAddress.Parse("127.0.0.1"))])
            .Add("api.svc.example.", DnsType.Txt, 300, Holdfast.Dns.Records.Rdata.Txt("owner=team-a"))
            .Build();
        var engine = new QueryEngine(new([zone]));
        Ask(engine, DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.A)).Answer.ShouldBe(["api.svc.example. 60 A 127.0.0.1"]);
        Ask(engine, DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.Txt)).Answer.ShouldBe(["api.svc.example. 300 TXT \"owner=team-a\""]);
        Ask(engine, DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.Mx)).Authority.Length.ShouldBe(1);
    }

    [Fact]
    public void Update_NewZoneSet_IsAnsweredFromThen()
    {
        var engine = new QueryEngine(TestZones.Standard(serial: 1));
        engine.Update(TestZones.Standard(serial: 2));
        Ask(engine, DnsQueryBuilder.Build(1, "svc.example.", DnsType.Soa)).Answer[0].ShouldContain(" 2 3600 600");
    }

    internal static ResponseView Ask(QueryEngine engine, byte[] query)
    {
        var buffer = new byte[4096];
        var length = engine.Answer(query, buffer, overUdp: true);
        length.ShouldBeGreaterThan(0);
        return ResponseView.Parse(buffer.AsSpan(0, length));
    }
}
