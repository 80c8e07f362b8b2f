using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>IXFR (RFC 1995) as data, over a history 1 → 2 → 3 of the endpoint's addresses.</summary>
public sealed class IxfrTests
{
    private const string A1 = "api.svc.example. 60 A 127.0.0.1";
    private const string A2 = "api.svc.example. 60 A 127.0.0.2";
    private const string A3 = "api.svc.example. 60 A 127.0.0.3";
    private const string A4 = "api.svc.example. 60 A 127.0.0.4";

    private static (QueryEngine Engine, ZoneTransferHandler Handler) History(ZoneTransferOptions? options = null)
    {
        var engine = new QueryEngine(Set(Zone(1, "127.0.0.1", "127.0.0.2")));
        var handler = new ZoneTransferHandler(engine, options ?? Open(), TimeProvider.System);
        engine.Update(Set(Zone(2, "127.0.0.2", "127.0.0.3")));
        engine.Update(Set(Zone(3, "127.0.0.3", "127.0.0.4")));
        return (engine, handler);
    }

    [Fact]
    public void Ixfr_FromSerialInJournal_IsDifferenceSequences()
    {
        var (_, handler) = History();
        using var lifetime = handler;
        TransferLogEntry? logged = null;
        handler.Served += e => logged = e;

        // RFC 1995 §4: new SOA, then per step old SOA, deletions, new SOA, additions; the new SOA closes.
        Answers(Respond(handler, Ixfr(1))).ShouldBe([
            Soa(3),
            Soa(1), A1, Soa(2), A3,
            Soa(2), A2, Soa(3), A4,
            Soa(3),
        ]);
        logged.ShouldBe(logged! with { Kind = TransferKind.IxfrIncremental, FromSerial = 1, ToSerial = 3, Messages = 1, Records = 10 });
        Answers(Respond(handler, Ixfr(2))).ShouldBe([Soa(3), Soa(2), A2, Soa(3), A4, Soa(3)]);
        handler.Counters.IxfrIncremental.ShouldBe(2);
    }

    [Theory]
    [InlineData(3u)]           // current
    [InlineData(4u)]           // ahead of us (RFC 1982), as Knot: nothing to send
    [InlineData(0x8000_0002u)] // RFC 1982: 3 + 2^31 - 1 is after 3 as well
    public void Ixfr_ClientNotBehind_GetsTheSingleSoa(uint serial)
    {
        var (_, handler) = History();
        using var lifetime = handler;
        Answers(Respond(handler, Ixfr(serial))).ShouldBe([Soa(3)]);
        handler.Counters.IxfrUpToDate.ShouldBe(1);
    }

    [Theory]
    [InlineData(0u)]           // never existed
    [InlineData(0xFFFF_FFF0u)] // before 1 by RFC 1982, not in the journal
    public void Ixfr_SerialNotInJournal_FallsBackToTheWholeZone(uint serial)
    {
        var (_, handler) = History();
        using var lifetime = handler;
        var answers = Answers(Respond(handler, Ixfr(serial)));
        answers.ShouldBe([Soa(3), "svc.example. 3600 NS ns1.svc.example.", A3, A4, "ns1.svc.example. 3600 A 127.0.0.53", "www.svc.example. 300 CNAME api.svc.example.", Soa(3)]);
        handler.Counters.IxfrFull.ShouldBe(1);
    }

    [Fact]
    public void Ixfr_JournalDepthOne_KeepsOnlyTheLastStep()
    {
        var (_, handler) = History(Open(journalDepth: 1));
        using var lifetime = handler;
        Answers(Respond(handler, Ixfr(2))).ShouldBe([Soa(3), Soa(2), A2, Soa(3), A4, Soa(3)]);
        Answers(Respond(handler, Ixfr(1))).Count.ShouldBe(7, "serial 1 was dropped: the whole zone");
        handler.Counters.IxfrFull.ShouldBe(1);
    }

    [Fact]
    public void Ixfr_OverUdpWhenItFits_IsTheWholeAnswerInOneDatagram()
    {
        var (_, handler) = History();
        using var lifetime = handler;
        var messages = Respond(handler, Ixfr(2), overUdp: true);
        messages.Count.ShouldBe(1);
        messages[0].Length.ShouldBeLessThanOrEqualTo(512);
        Answers(messages).ShouldBe([Soa(3), Soa(2), A2, Soa(3), A4, Soa(3)]);
    }

    [Fact]
    public void Ixfr_OverUdpWhenItDoesNotFit_IsTheSingleSoa()
    {
        var engine = new QueryEngine(Set(Zone(1, "127.0.0.1")));
        using var handler = new ZoneTransferHandler(engine, Open(), TimeProvider.System);
        engine.Update(Set(Zone(2, [.. Enumerable.Range(1, 60).Select(i => $"127.0.1.{i}")])));

        // RFC 1995 §2: the client sees the new serial and retries over TCP.
        var messages = Respond(handler, Ixfr(1), overUdp: true);
        Answers(messages).ShouldBe([Soa(2)]);
        ResponseView.Parse(messages[0]).Tc.ShouldBeFalse();
        handler.Counters.IxfrUdpSoaOnly.ShouldBe(1);
        Answers(Respond(handler, Ixfr(1))).Count.ShouldBe(1 + 2 + 1 + 60 + 1);
    }

    [Fact]
    public void Ixfr_SerialWentBackwards_JournalRestartsAndOldSerialsGetTheWholeZone()
    {
        var (engine, handler) = History();
        using var lifetime = handler;
        engine.Update(Set(Zone(2, "127.0.0.9")));
        handler.Journal.Resets.ShouldBe(1);
        Answers(Respond(handler, Ixfr(1))).ShouldContain("api.svc.example. 60 A 127.0.0.9");
        handler.Counters.IxfrFull.ShouldBe(1);
    }

    [Fact]
    public void Ixfr_TtlChange_IsDeletionPlusAddition()
    {
        var engine = new QueryEngine(Set(Zone(1, "127.0.0.1")));
        using var handler = new ZoneTransferHandler(engine, Open(), TimeProvider.System);
        engine.Update(Set(Builder(2, "127.0.0.1").SetEndpoint("api.svc.example.", 30, 1, [new(System.Net.IPAddress.Parse("127.0.0.1"))]).Build()));
        Answers(Respond(handler, Ixfr(1))).ShouldBe([Soa(2), Soa(1), A1, Soa(2), "api.svc.example. 30 A 127.0.0.1", Soa(2)]);
    }

    [Fact]
    public void Ixfr_EveryPrefixOfARequest_IsNeverServed()
    {
        var (_, handler) = History();
        using var lifetime = handler;
        var request = Ixfr(1, edns: 1232);
        TransferRequestReader.TryRead(request, out var whole).ShouldBe(QueryReadStatus.Ok);
        whole!.ClientSerial.ShouldBe(1u);
        for (var length = 0; length < request.Length; length++)
        {
            var prefix = request[..length];
            var status = TransferRequestReader.TryRead(prefix, out _);
            status.ShouldBe(length < DnsConstants.HeaderLength ? QueryReadStatus.Drop : QueryReadStatus.FormErr, $"prefix of {length}");
            var messages = Respond(handler, prefix);
            messages.Count.ShouldBe(length < DnsConstants.HeaderLength ? 0 : 1);
            messages.ShouldAllBe(m => ResponseView.Parse(m).Rcode == DnsRcode.FormErr);
        }

        handler.Counters.IxfrIncremental.ShouldBe(0);
    }
}
