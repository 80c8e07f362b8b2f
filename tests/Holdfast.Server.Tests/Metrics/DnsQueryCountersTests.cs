using System.Diagnostics.Metrics;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using Holdfast.Server.Metrics;

namespace Holdfast.Server.Tests.Metrics;

/// <summary>
/// <c>holdfast.dns.queries</c> read straight from the meter (no exporter): the label values are the ones docs/metrics.md
/// lists, taken from Holdfast.Dns's tables; the zone is the snapshot the engine answered from, followed across the
/// engine's updates; and a real engine feeding the counters allocates nothing per query.
/// </summary>
public sealed class DnsQueryCountersTests
{
    private const string Apex = "svc.example.";

    /// <summary>A zone with nothing but its SOA (the counters look at its apex only).</summary>
    internal static ZoneSnapshot Zone(string apex, uint serial = 1) =>
        new ZoneSnapshotBuilder(apex).WithSoa("ns1." + apex, "hostmaster." + apex, serial).Build();

    [Fact]
    public void Answered_EveryQuestionType_CountsUnderTheDocumentedTypeLabels()
    {
        using var metrics = new HoldfastMetrics();
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones([Apex]);
        var zone = Zone(Apex);
        for (var type = 0; type <= ushort.MaxValue; type++)
        {
            counters.Answered(new QueryOutcome(zone, (ushort)type, DnsRcode.NoError), TimeSpan.Zero);
        }

        var byType = Read(metrics).ToDictionary(c => c.Key.Type, c => c.Value);

        // docs/metrics.md: "type is A, AAAA, NS, CNAME, SOA, PTR, MX, TXT, SRV, CAA, IXFR, AXFR, ANY or other".
        byType.Keys.ShouldBe(["A", "AAAA", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "SRV", "CAA", "IXFR", "AXFR", "ANY", "other"], ignoreOrder: true);
        byType.Where(t => t.Key != "other").ShouldAllBe(t => t.Value == 1);
        byType["other"].ShouldBe(65_536 - 13);
    }

    [Fact]
    public void Answered_EveryHeaderRcode_CountsUnderItsMnemonic()
    {
        using var metrics = new HoldfastMetrics();
        var counters = new DnsQueryCounters(metrics);
        for (var rcode = 0; rcode < 16; rcode++)
        {
            counters.Answered(new QueryOutcome(null, DnsType.A, rcode), TimeSpan.Zero);
        }

        counters.Answered(new QueryOutcome(null, DnsType.A, DnsRcode.BadVers), TimeSpan.Zero);

        var byRcode = Read(metrics).ToDictionary(c => c.Key.Rcode, c => c.Value);
        byRcode.Keys.ShouldBe(["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "11", "12", "13", "14", "15"], ignoreOrder: true);
        byRcode["NOERROR"].ShouldBe(2, "BADVERS (16) carries 0 in the header's four bits (RFC 6891 §6.1.3)");
    }

    [Fact]
    public void Answered_AfterTheEngineReplacesTheZone_CountsUnderTheSameZone()
    {
        using var metrics = new HoldfastMetrics();
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones([Apex, "eu." + Apex]);
        var engine = new QueryEngine(new ZoneSet([Zone(Apex, serial: 1), Zone("eu." + Apex)]));
        var response = new byte[DnsConstants.ClassicUdpLimit];
        var query = DnsQueryBuilder.Build(1, "x.eu.svc.example.", DnsType.A);

        AnswerOnce(engine, counters, query, response);
        engine.Update(new ZoneSet([Zone(Apex, serial: 2), Zone("eu." + Apex, serial: 2)]));
        AnswerOnce(engine, counters, query, response);
        AnswerOnce(engine, counters, DnsQueryBuilder.Build(2, Apex, DnsType.Soa), response);

        var counts = Read(metrics);
        counts.ShouldContainKeyAndValue(("eu.svc.example.", "A", "NXDOMAIN"), 2);
        counts.ShouldContainKeyAndValue((Apex, "SOA", "NOERROR"), 1);
        counts.Count.ShouldBe(2);
    }

    [Fact]
    public void Answered_ZoneDroppedFromTheConfiguration_CountsUnderNoneFromThenOn()
    {
        using var metrics = new HoldfastMetrics();
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones([Apex]);
        var zone = Zone(Apex);
        counters.Answered(new QueryOutcome(zone, DnsType.A, DnsRcode.NoError), TimeSpan.Zero);

        counters.SetZones([]);
        counters.Answered(new QueryOutcome(zone, DnsType.A, DnsRcode.NoError), TimeSpan.Zero);

        Read(metrics).ShouldBe(new Dictionary<(string, string, string), long> { [("none", "A", "NOERROR")] = 1 });
    }

    [Fact]
    public void EngineAndCounters_ManyQueries_AllocateNothing_AlsoAfterAZoneUpdate()
    {
        using var metrics = new HoldfastMetrics();
        using var listener = ListenToEverything(metrics);
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones([Apex]);
        var engine = new QueryEngine(new ZoneSet([Zone(Apex)]));
        var response = new byte[DnsConstants.ClassicUdpLimit];
        var query = DnsQueryBuilder.Build(7, "nope.svc.example.", DnsType.Aaaa);
        AnswerOnce(engine, counters, query, response);
        for (var round = 0; round < 2; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                AnswerOnce(engine, counters, query, response);
            }

            (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0L, $"bytes allocated by 10,000 answers and counts, round {round}");

            // A new snapshot is looked up by name on its first query (that one may allocate); the rest are by reference.
            engine.Update(new ZoneSet([Zone(Apex, serial: (uint)round + 2)]));
            AnswerOnce(engine, counters, query, response);
        }

        Read(metrics)[(Apex, "AAAA", "NXDOMAIN")].ShouldBe(20_003);
    }

    private static void AnswerOnce(QueryEngine engine, DnsQueryCounters counters, byte[] query, byte[] response)
    {
        engine.Answer(query, response, overUdp: true, default, out var outcome);
        counters.Answered(outcome, TimeSpan.Zero);
    }

    /// <summary>As an exporter does: every instrument of the meter on, the histogram's measurements taken and dropped.</summary>
    private static MeterListener ListenToEverything(HoldfastMetrics metrics)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        listener.Start();
        return listener;
    }

    /// <summary>One collection of holdfast.dns.queries: count by (zone, type, rcode).</summary>
    private static Dictionary<(string Zone, string Type, string Rcode), long> Read(HoldfastMetrics metrics)
    {
        var counts = new Dictionary<(string, string, string), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "holdfast.dns.queries")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tag = tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!);
            counts.Add((tag["zone"], tag["type"], tag["rcode"]), value);
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return counts;
    }
}
