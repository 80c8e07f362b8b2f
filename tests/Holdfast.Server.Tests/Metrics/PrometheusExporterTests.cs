using System.Diagnostics.Metrics;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using Holdfast.Server.Metrics;

namespace Holdfast.Server.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Scrape_Counter_IsSummedPerTagSetWithTotalSuffix()
    {
        using var meter = new Meter("Test.Exporter.Counter");
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("holdfast.applies", "{apply}", "Applies.");

        counter.Add(2, new("result", "applied"), new("enactor", "e1"));
        counter.Add(3, new("enactor", "e1"), new("result", "applied"));
        counter.Add(1, new("enactor", "e2"), new("result", "stale"));

        exporter.Scrape().ShouldBe("""
            # HELP holdfast_applies_total Applies.
            # TYPE holdfast_applies_total counter
            holdfast_applies_total{enactor="e1",result="applied"} 5
            holdfast_applies_total{enactor="e2",result="stale"} 1

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Scrape_Histogram_HasCumulativeBucketsSumAndCount()
    {
        using var meter = new Meter("Test.Exporter.Histogram");
        using var exporter = new PrometheusExporter(meter);
        var histogram = meter.CreateHistogram<double>("holdfast.dns.query.duration", "s", "Latency.");

        histogram.Record(0.00004);
        histogram.Record(0.0003);
        histogram.Record(20);

        var lines = exporter.Scrape().Split('\n');
        lines.ShouldContain("# TYPE holdfast_dns_query_duration_seconds histogram");
        lines.ShouldContain("holdfast_dns_query_duration_seconds_bucket{le=\"5E-05\"} 1");
        lines.ShouldContain("holdfast_dns_query_duration_seconds_bucket{le=\"0.00025\"} 1");
        lines.ShouldContain("holdfast_dns_query_duration_seconds_bucket{le=\"0.0005\"} 2");
        lines.ShouldContain("holdfast_dns_query_duration_seconds_bucket{le=\"10\"} 2");
        lines.ShouldContain("holdfast_dns_query_duration_seconds_bucket{le=\"+Inf\"} 3");
        lines.ShouldContain("holdfast_dns_query_duration_seconds_count 3");
        lines.Single(l => l.StartsWith("holdfast_dns_query_duration_seconds_sum ", StringComparison.Ordinal)).ShouldStartWith("holdfast_dns_query_duration_seconds_sum 20.00034");
    }

    [Fact]
    public void Scrape_ObservableGauge_IsReadAtEachScrape()
    {
        using var meter = new Meter("Test.Exporter.Gauge");
        using var exporter = new PrometheusExporter(meter);
        var value = 1;
        meter.CreateObservableGauge("holdfast.enactor.lag", () => new Measurement<double>(value * 0.5, new KeyValuePair<string, object?>("enactor", "e1")), "s", "Lag.");

        exporter.Scrape().ShouldContain("holdfast_enactor_lag_seconds{enactor=\"e1\"} 0.5\n");
        value = 4;
        exporter.Scrape().ShouldContain("holdfast_enactor_lag_seconds{enactor=\"e1\"} 2\n");
    }

    [Fact]
    public void Scrape_LabelValues_AreEscaped()
    {
        using var meter = new Meter("Test.Exporter.Escape");
        using var exporter = new PrometheusExporter(meter);
        meter.CreateCounter<long>("x.events").Add(1, new KeyValuePair<string, object?>("reason", "say \"hi\"\\\nbye"));

        exporter.Scrape().ShouldContain("x_events_total{reason=\"say \\\"hi\\\"\\\\\\nbye\"} 1\n");
    }

    [Fact]
    public void Scrape_OtherMeters_AreNotExported()
    {
        using var mine = new Meter("Test.Exporter.Mine");
        using var other = new Meter("Test.Exporter.Other");
        using var exporter = new PrometheusExporter(mine);

        other.CreateCounter<long>("other.count").Add(1);
        mine.CreateCounter<long>("mine.count").Add(1);

        var text = exporter.Scrape();
        text.ShouldContain("mine_count_total 1\n");
        text.ShouldNotContain("other_count");
    }

    [Fact]
    public void DnsQueryCounters_CountByZoneTypeAndRcode()
    {
        using var metrics = new HoldfastMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones(["svc.example.", "eu.svc.example."]);

        Answer(counters, "svc.example.", DnsType.A, rcode: 0);
        Answer(counters, "eu.svc.example.", DnsType.Aaaa, rcode: 3);
        Answer(counters, "eu.svc.example.", DnsType.Aaaa, rcode: 3);
        Answer(counters, "svc.example.", 99, rcode: 0);
        Answer(counters, null, DnsType.A, rcode: 5);

        var text = exporter.Scrape();
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"A\",zone=\"svc.example.\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NXDOMAIN\",type=\"AAAA\",zone=\"eu.svc.example.\"} 2\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"other\",zone=\"svc.example.\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"REFUSED\",type=\"A\",zone=\"none\"} 1\n");
        text.ShouldContain("holdfast_dns_query_duration_seconds_count 5\n");
    }

    [Fact]
    public void DnsQueryCounters_Answered_DoesNotAllocate_WithTheExporterListening()
    {
        using var metrics = new HoldfastMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones(["svc.example.", "eu.svc.example."]);
        var outcome = new QueryOutcome(DnsQueryCountersTests.Zone("eu.svc.example."), DnsType.A, 0);
        counters.Answered(outcome, TimeSpan.FromMilliseconds(0.1));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            counters.Answered(outcome, TimeSpan.FromMilliseconds(0.1));
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
        exporter.Scrape().ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"A\",zone=\"eu.svc.example.\"} 10001\n");
    }

    [Fact]
    public void DnsQueryCounters_OutcomeOfARealEngine_CountsUnderTheZoneItAnsweredFrom()
    {
        using var metrics = new HoldfastMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones(["svc.example.", "eu.svc.example."]);
        var engine = new QueryEngine(new ZoneSet([
            new ZoneSnapshotBuilder("svc.example.").WithSoa("ns1.svc.example.", "h.svc.example.", 1).Build(),
            new ZoneSnapshotBuilder("eu.svc.example.").WithSoa("ns1.eu.svc.example.", "h.eu.svc.example.", 1).Build(),
        ]));
        var response = new byte[512];
        foreach (var query in new[]
        {
            DnsQueryBuilder.Build(1, "X.EU.svc.example.", DnsType.Aaaa),
            DnsQueryBuilder.Build(2, "svc.example.", DnsType.Soa),
            DnsQueryBuilder.Build(3, "example.org.", DnsType.A),
            [0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12],
        })
        {
            engine.Answer(query, response, overUdp: true, default, out var outcome);
            counters.Answered(outcome, TimeSpan.Zero);
        }

        var text = exporter.Scrape();
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NXDOMAIN\",type=\"AAAA\",zone=\"eu.svc.example.\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"SOA\",zone=\"svc.example.\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"REFUSED\",type=\"A\",zone=\"none\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"FORMERR\",type=\"other\",zone=\"none\"} 1\n");
    }

    [Fact]
    public void DnsQueryCounters_ZoneNoLongerConfigured_CountsUnderNone()
    {
        using var metrics = new HoldfastMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones(["svc.example."]);
        Answer(counters, "old.example.", DnsType.A, rcode: 0);
        exporter.Scrape().ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"A\",zone=\"none\"} 1\n");
    }

    private static void Answer(DnsQueryCounters counters, string? apex, ushort type, int rcode) =>
        counters.Answered(new QueryOutcome(apex is null ? null : DnsQueryCountersTests.Zone(apex), type, rcode), TimeSpan.FromMilliseconds(0.2));
}
