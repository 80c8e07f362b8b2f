using Holdfast.Dns.Names;
using Holdfast.Dns.Transfer;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;

namespace Holdfast.Dns.Tests.Transfer;

public sealed class ZoneJournalTests
{
    private static readonly byte[] s_apex = WireName.FromText(Apex);

    [Fact]
    public void Observe_SerialSteps_KeepsAtMostDepthSteps()
    {
        var journal = new ZoneJournal(depth: 3, maxRecords: 1000);
        for (uint serial = 1; serial <= 10; serial++)
        {
            journal.Observe(Zone(serial, $"127.0.0.{serial}"));
        }

        journal.KnownSerials(s_apex).ShouldBe([7u, 8u, 9u]);
        journal.TryGetChanges(s_apex, 6, out _, out _).ShouldBeFalse();
        journal.TryGetChanges(s_apex, 8, out var steps, out var newest).ShouldBeTrue();
        steps.Select(s => (s.FromSerial, s.ToSerial)).ShouldBe([(8u, 9u), (9u, 10u)]);
        newest!.Serial.ShouldBe(10u);
    }

    [Fact]
    public void Observe_LargeSteps_DropsOldestUntilUnderMaxRecords()
    {
        // Each step replaces one address: 1 deletion + 1 addition + 2 SOAs = 4 records.
        var journal = new ZoneJournal(depth: 100, maxRecords: 9);
        for (uint serial = 1; serial <= 5; serial++)
        {
            journal.Observe(Zone(serial, $"127.0.0.{serial}"));
        }

        journal.KnownSerials(s_apex).ShouldBe([3u, 4u]);
    }

    [Fact]
    public void Observe_DepthZero_KeepsNoHistoryButKnowsTheZone()
    {
        var journal = new ZoneJournal(depth: 0, maxRecords: 1000);
        journal.Observe(Zone(1, "127.0.0.1"));
        journal.Observe(Zone(2, "127.0.0.2"));
        journal.KnownSerials(s_apex).ShouldBeEmpty();
        journal.Newest(s_apex)!.Serial.ShouldBe(2u);
    }

    [Fact]
    public void Observe_SameSerialAgain_IsIgnored()
    {
        var journal = new ZoneJournal(depth: 10, maxRecords: 1000);
        var first = Zone(1, "127.0.0.1");
        journal.Observe(first);
        journal.Observe(Zone(1, "127.0.0.9"));
        journal.Newest(s_apex).ShouldBeSameAs(first);
        journal.KnownSerials(s_apex).ShouldBeEmpty();
    }

    [Fact]
    public void Observe_SerialWrapsAround_IsAStepForward()
    {
        var journal = new ZoneJournal(depth: 10, maxRecords: 1000);
        journal.Observe(Zone(uint.MaxValue, "127.0.0.1"));
        journal.Observe(Zone(2, "127.0.0.2"));
        journal.Resets.ShouldBe(0);
        journal.KnownSerials(s_apex).ShouldBe([uint.MaxValue]);
    }

    [Fact]
    public void Observe_ZoneSetWithoutTheZone_ForgetsItsHistory()
    {
        var journal = new ZoneJournal(depth: 10, maxRecords: 1000);
        journal.Observe(Set(Zone(1, "127.0.0.1")));
        journal.Observe(Set(Zone(2, "127.0.0.2")));
        journal.Observe(Set());
        journal.Newest(s_apex).ShouldBeNull();
        journal.TryGetChanges(s_apex, 1, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void CatchUp_NewerSnapshot_AddsStepButOlderNeverResets()
    {
        var journal = new ZoneJournal(depth: 10, maxRecords: 1000);
        var first = Zone(1, "127.0.0.1");
        journal.CatchUp(first);
        journal.CatchUp(Zone(2, "127.0.0.2"));
        journal.CatchUp(first);
        journal.Resets.ShouldBe(0);
        journal.Newest(s_apex)!.Serial.ShouldBe(2u);
        journal.KnownSerials(s_apex).ShouldBe([1u]);
    }

    [Fact]
    public void Ixfr_RequestBeforeJournalHeardOfTheChange_StillGetsTheIncrement()
    {
        // A handler whose journal never saw serial 2 through the event: the transfer catches up.
        var engine = new Holdfast.Dns.Query.QueryEngine(Set(Zone(1, "127.0.0.1")));
        using var late = new ZoneTransferHandler(engine, Open(), TimeProvider.System);
        late.Dispose(); // unsubscribed: its journal stays at serial 1 while the engine moves on
        engine.Update(Set(Zone(2, "127.0.0.2")));
        late.Journal.Newest(s_apex)!.Serial.ShouldBe(1u);
        Answers(Respond(late, Ixfr(1))).ShouldBe([Soa(2), Soa(1), "api.svc.example. 60 A 127.0.0.1", Soa(2), "api.svc.example. 60 A 127.0.0.2", Soa(2)]);
        late.Counters.IxfrIncremental.ShouldBe(1);
    }
}
