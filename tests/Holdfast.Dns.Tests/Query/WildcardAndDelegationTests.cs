using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests.Query;

/// <summary>
/// Wildcards (RFC 4592) and referrals at zone cuts (RFC 1034 §4.3.2) as data: zones written as master files,
/// a question, and the expected sections.
/// </summary>
public sealed class WildcardAndDelegationTests
{
    /// <summary>
    /// The example zone of RFC 4592 §2.2.1, with the one address moved from 192.0.2.1 to loopback (this
    /// project's tests use loopback addresses only) and the SRV data the RFC leaves out filled in.
    /// </summary>
    private const string Rfc4592Zone = """
        $ORIGIN example.
        example.                 3600 IN  SOA   ns.example.com. hostmaster.example. 1 3600 600 604800 60
        example.                 3600     NS    ns.example.com.
        example.                 3600     NS    ns.example.net.
        *.example.               3600     TXT   "this is a wildcard"
        *.example.               3600     MX    10 host1.example.
        sub.*.example.           3600     TXT   "this is not a wildcard"
        host1.example.           3600     A     127.0.2.1
        _ssh._tcp.host1.example. 3600     SRV   0 0 22 host1.example.
        _ssh._tcp.host2.example. 3600     SRV   0 0 22 host2.example.
        subdel.example.          3600     NS    ns.example.com.
        subdel.example.          3600     NS    ns.example.net.
        """;

    private const string ExampleSoa = "example. 60 SOA ns.example.com. hostmaster.example. 1 3600 600 604800 60";

    private static readonly string[] s_subdelNs = ["subdel.example. 3600 NS ns.example.com.", "subdel.example. 3600 NS ns.example.net."];

    public static TheoryData<string, ushort, int, bool, string[], string[]> Rfc4592Cases() => new()
    {
        // RFC 4592 §2.2.1, "synthesized from one of the wildcards"
        { "host3.example.",              DnsType.Mx,   DnsRcode.NoError,  true,  ["host3.example. 3600 MX 10 host1.example."],             [] },
        { "host3.example.",              DnsType.A,    DnsRcode.NoError,  true,  [],                                                      [ExampleSoa] },
        { "foo.bar.example.",            DnsType.Txt,  DnsRcode.NoError,  true,  ["foo.bar.example. 3600 TXT \"this is a wildcard\""],    [] },
        // RFC 4592 §2.2.1, "not synthesized"
        { "host1.example.",              DnsType.Mx,   DnsRcode.NoError,  true,  [],                                                      [ExampleSoa] },
        { "sub.*.example.",              DnsType.Mx,   DnsRcode.NoError,  true,  [],                                                      [ExampleSoa] },
        { "_telnet._tcp.host1.example.", DnsType.Srv,  DnsRcode.NxDomain, true,  [],                                                      [ExampleSoa] },
        { "host.subdel.example.",        DnsType.A,    DnsRcode.NoError,  false, [],                                                      s_subdelNs },
        { "ghost.*.example.",            DnsType.Mx,   DnsRcode.NxDomain, true,  [],                                                      [ExampleSoa] },
        // Around the same zone
        { "*.example.",                  DnsType.Txt,  DnsRcode.NoError,  true,  ["*.example. 3600 TXT \"this is a wildcard\""],          [] },
        { "sub.*.example.",              DnsType.Txt,  DnsRcode.NoError,  true,  ["sub.*.example. 3600 TXT \"this is not a wildcard\""],  [] },
        { "host2.example.",              DnsType.Mx,   DnsRcode.NoError,  true,  [],                                                      [ExampleSoa] },
        { "_tcp.host2.example.",         DnsType.Txt,  DnsRcode.NoError,  true,  [],                                                      [ExampleSoa] },
        { "a.b.c.example.",              DnsType.Any,  DnsRcode.NoError,  true,  ["a.b.c.example. 3600 MX 10 host1.example."],             [] },
        { "HOST3.Example.",              DnsType.Mx,   DnsRcode.NoError,  true,  ["host3.example. 3600 MX 10 host1.example."],             [] },
        { "subdel.example.",             DnsType.Ns,   DnsRcode.NoError,  false, [],                                                      s_subdelNs },
        { "subdel.example.",             DnsType.A,    DnsRcode.NoError,  false, [],                                                      s_subdelNs },
        { "subdel.example.",             DnsType.Any,  DnsRcode.NoError,  false, [],                                                      s_subdelNs },
        { "subdel.example.",             DnsType.Ds,   DnsRcode.NoError,  true,  [],                                                      [ExampleSoa] },
        { "x.subdel.example.",           DnsType.Ds,   DnsRcode.NoError,  false, [],                                                      s_subdelNs },
    };

    [Theory]
    [MemberData(nameof(Rfc4592Cases))]
    public void Answer_Rfc4592ExampleZone_MatchesSections(string name, ushort type, int rcode, bool aa, string[] answer, string[] authority)
    {
        var response = QueryEngineTests.Ask(Engine("example.", Rfc4592Zone), DnsQueryBuilder.Build(3, name, type));
        response.Rcode.ShouldBe(rcode);
        response.Aa.ShouldBe(aa);
        response.Answer.Select(Lower).ShouldBe(answer);
        response.Authority.ShouldBe(authority);
        response.Additional.ShouldBeEmpty("every name server of example. and subdel.example. is outside the zone: no glue");
    }

    /// <summary>A zone with a delegation whose name servers are below the cut (glue), elsewhere in the zone, and outside it.</summary>
    private const string DelegatingZone = """
        $ORIGIN svc.example.
        $TTL 300
        @           SOA   ns1 hostmaster 7 3600 600 604800 60
        @           NS    ns1
        ns1         A     127.0.0.53
        child       NS    ns1.child
                    NS    ns2.child
                    NS    ns1
                    NS    ns.elsewhere.org.
        ns1.child   A     127.0.0.54
                    AAAA  ::1
        ns2.child   A     127.0.0.55
        deep.child  TXT   "the child's data, hidden by the cut"
        api         A     127.0.0.1
        *.wild      CNAME api
        tochild     CNAME www.child
        *.gone      CNAME nowhere
        """;

    private const string SvcSoa = "svc.example. 60 SOA ns1.svc.example. hostmaster.svc.example. 7 3600 600 604800 60";

    private static readonly string[] s_childNs =
    [
        "child.svc.example. 300 NS ns1.child.svc.example.",
        "child.svc.example. 300 NS ns2.child.svc.example.",
        "child.svc.example. 300 NS ns1.svc.example.",
        "child.svc.example. 300 NS ns.elsewhere.org.",
    ];

    private static readonly string[] s_childGlue =
    [
        "ns1.child.svc.example. 300 A 127.0.0.54",
        "ns1.child.svc.example. 300 AAAA ::1",
        "ns2.child.svc.example. 300 A 127.0.0.55",
        "ns1.svc.example. 300 A 127.0.0.53",
    ];

    public static TheoryData<string, ushort, int, bool, string[], string[], string[]> DelegationCases() => new()
    {
        // name                          type          rcode               aa     answer                                                                                        authority   additional
        { "www.child.svc.example.",      DnsType.A,    DnsRcode.NoError,   false, [],                                                                                           s_childNs,  s_childGlue },
        { "child.svc.example.",          DnsType.Ns,   DnsRcode.NoError,   false, [],                                                                                           s_childNs,  s_childGlue },
        { "deep.child.svc.example.",     DnsType.Txt,  DnsRcode.NoError,   false, [],                                                                                           s_childNs,  s_childGlue },
        { "ns1.child.svc.example.",      DnsType.A,    DnsRcode.NoError,   false, [],                                                                                           s_childNs,  s_childGlue },
        { "child.svc.example.",          DnsType.Ds,   DnsRcode.NoError,   true,  [],                                                                                           [SvcSoa],   [] },
        { "ns1.svc.example.",            DnsType.A,    DnsRcode.NoError,   true,  ["ns1.svc.example. 300 A 127.0.0.53"],                                                        [],         [] },
        { "x.wild.svc.example.",         DnsType.A,    DnsRcode.NoError,   true,  ["x.wild.svc.example. 300 CNAME api.svc.example.", "api.svc.example. 300 A 127.0.0.1"],       [],         [] },
        { "x.y.wild.svc.example.",       DnsType.A,    DnsRcode.NoError,   true,  ["x.y.wild.svc.example. 300 CNAME api.svc.example.", "api.svc.example. 300 A 127.0.0.1"],     [],         [] },
        { "x.wild.svc.example.",         DnsType.Cname, DnsRcode.NoError,  true,  ["x.wild.svc.example. 300 CNAME api.svc.example."],                                           [],         [] },
        { "x.wild.svc.example.",         DnsType.Aaaa, DnsRcode.NoError,   true,  ["x.wild.svc.example. 300 CNAME api.svc.example."],                                           [SvcSoa],   [] },
        { "x.gone.svc.example.",         DnsType.A,    DnsRcode.NxDomain,  true,  ["x.gone.svc.example. 300 CNAME nowhere.svc.example."],                                       [SvcSoa],   [] },
        { "wild.svc.example.",           DnsType.A,    DnsRcode.NoError,   true,  [],                                                                                           [SvcSoa],   [] },
        { "tochild.svc.example.",        DnsType.A,    DnsRcode.NoError,   true,  ["tochild.svc.example. 300 CNAME www.child.svc.example."],                                    [],         [] },
    };

    [Theory]
    [MemberData(nameof(DelegationCases))]
    public void Answer_DelegatingZone_MatchesSections(string name, ushort type, int rcode, bool aa, string[] answer, string[] authority, string[] additional)
    {
        var response = QueryEngineTests.Ask(Engine("svc.example.", DelegatingZone), DnsQueryBuilder.Build(5, name, type));
        response.Rcode.ShouldBe(rcode);
        response.Aa.ShouldBe(aa);
        response.Answer.ShouldBe(answer);
        response.Authority.ShouldBe(authority);
        response.Additional.ShouldBe(additional);
    }

    [Fact]
    public void Answer_ReferralWhoseGlueDoesNotFit_IsTruncatedOverUdpAndWholeOverTcp()
    {
        // Twenty name servers below the cut with long names: their glue cannot fit in 512 octets (RFC 9471 §3).
        var label = new string('n', 40);
        var servers = string.Concat(Enumerable.Range(0, 20).Select(i => $"child NS {label}{i}.child\n{label}{i}.child A 127.0.1.{i}\n"));
        var engine = Engine("svc.example.", "$TTL 300\n@ SOA ns1 h 1 1 1 1 1\n@ NS ns1\nns1 A 127.0.0.53\n" + servers);
        var query = DnsQueryBuilder.Build(9, "www.child.svc.example.", DnsType.A);

        var udp = QueryEngineTests.Ask(engine, query);
        udp.Tc.ShouldBeTrue();
        udp.Authority.ShouldBeEmpty();
        udp.Additional.ShouldBeEmpty();

        var buffer = new byte[65535];
        var tcp = ResponseView.Parse(buffer.AsSpan(0, engine.Answer(query, buffer, overUdp: false)));
        tcp.Tc.ShouldBeFalse();
        tcp.Aa.ShouldBeFalse();
        tcp.Authority.Length.ShouldBe(20);
        tcp.Additional.Length.ShouldBe(20);
    }

    [Fact]
    public void Answer_ReferralWithEdns_KeepsGlueAndAddsOpt()
    {
        var response = QueryEngineTests.Ask(Engine("svc.example.", DelegatingZone), DnsQueryBuilder.Build(5, "www.child.svc.example.", DnsType.A, ednsPayload: 1232));
        response.Additional.ShouldBe([.. s_childGlue, "OPT 1232 do=False"]);
    }

    [Fact]
    public void Answer_WildcardEndpoint_AnswersItsAddressesUnderTheQuestionName()
    {
        var zone = new ZoneSnapshotBuilder("svc.example.")
            .WithSoa("ns1.svc.example.", "hostmaster.svc.example.", 1)
            .SetEndpoint("*.tenants.svc.example.", 30, 0, [new(IPAddress.Parse("127.0.0.9"))])
            .Build();
        var response = QueryEngineTests.Ask(new QueryEngine(new ZoneSet([zone])), DnsQueryBuilder.Build(1, "acme.tenants.svc.example.", DnsType.A));
        response.Answer.ShouldBe(["acme.tenants.svc.example. 30 A 127.0.0.9"]);
        response.Aa.ShouldBeTrue();
    }

    [Fact]
    public void Answer_RandomNamesAroundWildcardsAndCuts_AreWellFormedAndConsistent()
    {
        // Names built from the labels the zones use, so that most questions hit a wildcard, a cut, an empty
        // non-terminal or a CNAME; every response must parse completely and follow the rules below.
        var engine = new QueryEngine(new ZoneSet([ZoneText.Parse("example.", Rfc4592Zone), ZoneText.Parse("svc.example.", DelegatingZone)]));
        string[] labels = ["*", "a", "host1", "host2", "_tcp", "_ssh", "sub", "subdel", "child", "ns1", "wild", "gone", "tochild", "svc", "deep"];
        ushort[] types = [DnsType.A, DnsType.Aaaa, DnsType.Ns, DnsType.Soa, DnsType.Cname, DnsType.Mx, DnsType.Txt, DnsType.Srv, DnsType.Ds, DnsType.Any, 65534];
        var random = new Random(4592);
        var buffer = new byte[65535];
        for (var i = 0; i < 20_000; i++)
        {
            var name = string.Join('.', Enumerable.Range(0, random.Next(0, 4)).Select(_ => labels[random.Next(labels.Length)])) + (random.Next(2) == 0 ? ".example." : ".svc.example.");
            name = name.TrimStart('.');
            var query = DnsQueryBuilder.Build((ushort)i, name, types[random.Next(types.Length)], ednsPayload: random.Next(2) == 0 ? null : (ushort)1232);
            var udp = random.Next(2) == 0;
            var length = engine.Answer(query, buffer, udp);
            length.ShouldBeGreaterThan(0, name);
            var response = ResponseView.Parse(buffer.AsSpan(0, length));
            response.Rcode.ShouldBeOneOf([DnsRcode.NoError, DnsRcode.NxDomain], name);
            if (response.Tc)
            {
                continue;
            }

            if (!response.Aa)
            {
                // Only a referral is not authoritative: no answer, the cut's NS in authority.
                response.Answer.ShouldBeEmpty(name);
                response.Authority.ShouldNotBeEmpty(name);
                response.Authority.ShouldAllBe(line => line.Contains(" NS ", StringComparison.Ordinal));
            }
            else if (response.Answer.Length == 0)
            {
                response.Authority.Length.ShouldBe(1, name);
                response.Authority[0].ShouldContain(" SOA ");
            }
            else
            {
                response.Answer[0].ShouldStartWith(name + " ", Case.Insensitive);
            }
        }
    }

    [Fact]
    public void Answer_DsAtTheApexOfAServedChild_IsAnsweredByTheServedParent()
    {
        var parent = ZoneText.Parse("svc.example.", DelegatingZone);
        var child = ZoneText.Parse("child.svc.example.", "$TTL 300\n@ SOA ns1 hostmaster 3 3600 600 604800 60\n@ NS ns1\nns1 A 127.0.0.54\n");
        var engine = new QueryEngine(new ZoneSet([parent, child]));

        var ds = QueryEngineTests.Ask(engine, DnsQueryBuilder.Build(1, "child.svc.example.", DnsType.Ds));
        ds.Aa.ShouldBeTrue();
        ds.Authority.ShouldBe([SvcSoa], "the parent's NODATA, not the child's");

        var ns = QueryEngineTests.Ask(engine, DnsQueryBuilder.Build(1, "child.svc.example.", DnsType.Ns));
        ns.Aa.ShouldBeTrue("the child answers its own apex NS authoritatively");
        ns.Answer.ShouldBe(["child.svc.example. 300 NS ns1.child.svc.example."]);

        var onlyChild = new QueryEngine(new ZoneSet([child]));
        QueryEngineTests.Ask(onlyChild, DnsQueryBuilder.Build(1, "child.svc.example.", DnsType.Ds)).Authority[0].ShouldStartWith("child.svc.example. 60 SOA");
    }

    private static QueryEngine Engine(string apex, string text) => new(new ZoneSet([ZoneText.Parse(apex, text)]));

    /// <summary>The answer's owner points at the question, whose case is echoed: compare owners case-insensitively.</summary>
    private static string Lower(string line) => line[..line.IndexOf(' ', StringComparison.Ordinal)].ToLowerInvariant() + line[line.IndexOf(' ', StringComparison.Ordinal)..];
}
