using System.Buffers.Binary;
using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Records;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>AXFR (RFC 5936) as data: what each request gets, message by message.</summary>
public sealed class AxfrTests
{
    [Fact]
    public void Axfr_SmallZone_IsSoaEveryRecordSoaInOneMessage()
    {
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(Zone(7, "127.0.0.3", "127.0.0.1", "127.0.0.2"))), Open(), TimeProvider.System);
        var messages = Respond(handler, Axfr());
        messages.Count.ShouldBe(1);
        var view = ResponseView.Parse(messages[0]);
        view.Rcode.ShouldBe(DnsRcode.NoError);
        view.Aa.ShouldBeTrue();
        view.Id.ShouldBe((ushort)0x4242);
        view.Question.ShouldBe(["svc.example. TYPE252"]);

        // Every address of the endpoint, though a query gets one (max answers 1): secondaries serve them all.
        view.Answer.ShouldBe([
            Soa(7),
            "svc.example. 3600 NS ns1.svc.example.",
            "api.svc.example. 60 A 127.0.0.1",
            "api.svc.example. 60 A 127.0.0.2",
            "api.svc.example. 60 A 127.0.0.3",
            "ns1.svc.example. 3600 A 127.0.0.53",
            "www.svc.example. 300 CNAME api.svc.example.",
            Soa(7),
        ]);
        handler.Counters.Axfr.ShouldBe(1);
    }

    [Fact]
    public void Axfr_LargeZone_SplitsIntoCompressedMessagesUnder64K()
    {
        var builder = Builder(1, "127.0.0.1");
        for (var i = 0; i < 4000; i++)
        {
            builder.SetEndpoint($"endpoint-{i}.svc.example.", 60, 2, [.. Enumerable.Range(1, 4).Select(j => new EndpointAddress(IPAddress.Parse($"127.{i / 250}.{i % 250}.{j}")))]);
        }

        var zone = builder.Build();
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(zone)), Open(), TimeProvider.System);
        TransferLogEntry? logged = null;
        handler.Served += e => logged = e;
        var messages = Respond(handler, Axfr());

        messages.Count.ShouldBeGreaterThan(1);
        messages.ShouldAllBe(m => m.Length <= 65535);
        var answers = Answers(messages);
        answers[0].ShouldBe(Soa(1));
        answers[^1].ShouldBe(Soa(1));
        answers.Count.ShouldBe(ZoneContent.Records(zone).Count + 2);
        answers.Distinct().Count().ShouldBe(answers.Count - 1, "only the SOA appears twice");

        // RFC 5936 §2.2.1: the question in the first message; Holdfast leaves it out of the rest.
        ResponseView.Parse(messages[0]).Question.Length.ShouldBe(1);
        messages.Skip(1).Select(m => (m[4] << 8) | m[5]).ShouldAllBe(questions => questions == 0);

        // Compression: an owner like endpoint-123.svc.example. costs a label and a pointer, not 27 octets.
        var uncompressed = ZoneContent.Records(zone).Sum(r => r.Owner.Length + 10 + r.Rdata.Length);
        messages.Sum(m => m.Length).ShouldBeLessThan(uncompressed * 3 / 4);
        logged.ShouldNotBeNull().Messages.ShouldBe(messages.Count);
    }

    [Fact]
    public void Axfr_SmallMessageLimit_StillCarriesEveryRecordOncePerMessageBoundary()
    {
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(Zone(3, "127.0.0.1", "127.0.0.2", "127.0.0.3"))), Open(maxMessageSize: 512), TimeProvider.System);
        var messages = Respond(handler, Axfr(edns: 1232));
        messages.ShouldAllBe(m => m.Length <= 512);
        Answers(messages).Count.ShouldBe(8);

        // RFC 6891 §7: a request with OPT gets OPT back, in every message here.
        messages.ShouldAllBe(m => ResponseView.Parse(m).Additional.SequenceEqual(new[] { "OPT 1232 do=False" }));
    }

    public static TheoryData<string, string, bool, int> Refusals() => new()
    {
        // request                 client        udp    rcode
        { "axfr",                  "127.0.0.1",  true,  DnsRcode.NotImp },   // RFC 5936 §4.2, as Knot
        { "axfr",                  "127.0.0.9",  false, DnsRcode.Refused },  // outside AllowTransfer
        { "axfr-not-apex",         "127.0.0.1",  false, 9 },                 // NOTAUTH
        { "axfr-other-zone",       "127.0.0.1",  false, 9 },
        { "notify",                "127.0.0.1",  false, DnsRcode.Refused },  // we are the primary
        { "notify",                "127.0.0.1",  true,  DnsRcode.Refused },
        { "axfr-class-chaos",      "127.0.0.1",  false, DnsRcode.Refused },
        { "ixfr-without-soa",      "127.0.0.1",  false, DnsRcode.FormErr },  // RFC 1995 §3
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Respond_RequestNotServed_GetsOneMessageWithRcodeAndNoRecords(string request, string client, bool overUdp, int rcode)
    {
        var options = Open() with { AllowTransfer = [IPNetwork.Parse("127.0.0.1/32")] };
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(Zone(1, "127.0.0.1"))), options, TimeProvider.System);
        var packet = request switch
        {
            "axfr" => Axfr(),
            "axfr-not-apex" => Axfr("api.svc.example."),
            "axfr-other-zone" => Axfr("other.example."),
            "notify" => Notify(),
            "axfr-class-chaos" => WithClass(Axfr(), 3),
            _ => DnsQueryBuilder.Build(5, Apex, DnsType.Ixfr),
        };

        var messages = Respond(handler, packet, client, overUdp);
        messages.Count.ShouldBe(1);
        var view = ResponseView.Parse(messages[0]);
        view.Rcode.ShouldBe(rcode);
        view.Qr.ShouldBeTrue();
        view.Answer.ShouldBeEmpty();
        view.Id.ShouldBe(BinaryPrimitives.ReadUInt16BigEndian(packet));
        ((messages[0][2] >> 3) & 0xF).ShouldBe((packet[2] >> 3) & 0xF, "opcode echoed");
        handler.Counters.Axfr.ShouldBe(0);
    }

    [Fact]
    public void Axfr_EveryZoneOfTheSet_IsServed()
    {
        var other = new ZoneSnapshotBuilder("other.example.").WithSoa("ns.other.example.", "h.other.example.", 9).Build();
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(Zone(1, "127.0.0.1"), other)), Open(), TimeProvider.System);
        Answers(Respond(handler, Axfr("other.example."))).ShouldBe([
            "other.example. 3600 SOA ns.other.example. h.other.example. 9 3600 600 604800 60",
            "other.example. 3600 SOA ns.other.example. h.other.example. 9 3600 600 604800 60",
        ]);
        Answers(Respond(handler, Axfr("SVC.Example."))).Count.ShouldBe(6);
    }

    [Fact]
    public void Axfr_PerZonePeers_EachZoneAllowsOnlyItsOwnClients()
    {
        var other = new ZoneSnapshotBuilder("other.example.").WithSoa("ns.other.example.", "h.other.example.", 9).Build();
        var options = new ZoneTransferOptions
        {
            AllowTransfer = [IPNetwork.Parse("127.0.0.0/8")],
            Zones = [new ZoneTransferPeers("other.example.", [IPNetwork.Parse("127.0.0.7/32")], [])],
        };
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(Zone(1, "127.0.0.1"), other)), options, TimeProvider.System);

        // other.example. has its own list: only 127.0.0.7; svc.example. falls back to the global 127.0.0.0/8.
        ResponseView.Parse(Respond(handler, Axfr("other.example."), "127.0.0.1").ShouldHaveSingleItem()).Rcode.ShouldBe(DnsRcode.Refused);
        Answers(Respond(handler, Axfr("other.example."), "127.0.0.7")).Count.ShouldBe(2);
        Answers(Respond(handler, Axfr(), "127.0.0.1")).Count.ShouldBe(6);
        options.NotifyTargetsFor("other.example.").ShouldBeEmpty();
    }

    [Fact]
    public void Options_ZoneGivenTwice_IsRejectedNamingIt()
    {
        var options = Open() with { Zones = [new ZoneTransferPeers("a.example.", [], []), new ZoneTransferPeers("a.example.", [], [])] };
        Should.Throw<ArgumentException>(options.Validate).Message.ShouldContain("Zones: a.example. given twice");
    }

    [Fact]
    public void Axfr_DelegationAndWildcard_AreCarriedLikeAnyRecord()
    {
        // RFC 5936 §3.1: the zone's data includes the delegation NS and its glue (below the cut) and wildcards.
        var zone = new ZoneSnapshotBuilder(Apex).WithSoa("ns1.svc.example.", "hostmaster.svc.example.", 1)
            .Add("child.svc.example.", DnsType.Ns, 3600, Rdata.Name("ns.child.svc.example."))
            .Add("ns.child.svc.example.", DnsType.A, 3600, Rdata.Address(IPAddress.Parse("127.0.0.9")))
            .Add("*.w.svc.example.", DnsType.Txt, 300, Rdata.Txt("any"))
            .Build();
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(zone)), Open(), TimeProvider.System);
        Answers(Respond(handler, Axfr())).Skip(1).SkipLast(1).ShouldBe([
            "*.w.svc.example. 300 TXT \"any\"",
            "ns.child.svc.example. 3600 A 127.0.0.9",
            "child.svc.example. 3600 NS ns.child.svc.example.",
        ]);
    }

    [Fact]
    public void Axfr_Response_IsDropped()
    {
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(Zone(1, "127.0.0.1"))), Open(), TimeProvider.System);
        var packet = Axfr();
        packet[2] |= 0x80;
        Respond(handler, packet).ShouldBeEmpty();
    }

    [Fact]
    public void Respond_OrdinaryUnsignedQuery_IsTheEngineAnswer()
    {
        // Found by the transfer fuzz test: a mutated AXFR that became an ordinary query once reached the signer without a key.
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(Zone(4, "127.0.0.1"))), Open(), TimeProvider.System);
        Answers(Respond(handler, DnsQueryBuilder.Build(1, Apex, DnsType.Soa), overUdp: true)).ShouldBe([Soa(4)]);
    }

    [Fact]
    public void Respond_BadKeyWithLongNamesOverUdp_AnswersWithoutOverflowing()
    {
        // Found by the transfer fuzz test: a 209-octet question and a 254-octet key name leave no room under 512 octets for the TSIG.
        var longName = string.Join('.', Enumerable.Repeat("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0", 3)) + ".svc.example.";
        var keyName = string.Join('.', Enumerable.Repeat("k123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopq", 3)) + "." + new string('k', 60) + ".";
        using var handler = new ZoneTransferHandler(new QueryEngine(Set(Zone(4, "127.0.0.1"))), Open() with { TsigKeys = [new TsigKey("xfr-key.", new byte[32])] }, TimeProvider.System);
        var request = SignRequest(Axfr(longName), keyName, new byte[32], 0);
        var view = ResponseView.Parse(Respond(handler, request, overUdp: true).Single());
        view.Rcode.ShouldBe(9);
        view.Additional.ShouldHaveSingleItem().ShouldStartWith(keyName);
    }

    private static byte[] WithClass(byte[] query, ushort @class)
    {
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(query.Length - 2), @class);
        return query;
    }
}
