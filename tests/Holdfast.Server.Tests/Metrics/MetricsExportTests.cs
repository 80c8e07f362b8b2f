using System.Diagnostics.Metrics;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using Holdfast.Server.Metrics;

namespace Holdfast.Server.Tests.Metrics;

public sealed class MetricsExportTests
{
    [Fact]
    public async Task Scrape_Counter_IsSummedPerTagSetWithTotalSuffix()
    {
        using var meter = new Meter("Test.Exporter.Counter");
        await using var exporter = await MetricsScrape.StartAsync(meter);
        var counter = meter.CreateCounter<long>("holdfast.applies", "{apply}", "Applies.");

        counter.Add(2, new("result", "applied"), new("enactor", "e1"));
        counter.Add(3, new("enactor", "e1"), new("result", "applied"));
        counter.Add(1, new("enactor", "e2"), new("result", "stale"));

        var scraped = ScrapedMetrics.Parse(await exporter.ScrapeAsync());
        scraped.Types["holdfast_applies_total"].ShouldBe("counter");
        scraped.Help["holdfast_applies_total"].ShouldBe("Applies.");
        scraped.Named("holdfast_applies_total").Count().ShouldBe(2);
        scraped.Value("holdfast_applies_total", ("enactor", "e1"), ("result", "applied")).ShouldBe(5);
        scraped.Value("holdfast_applies_total", ("enactor", "e2"), ("result", "stale")).ShouldBe(1);
    }

    [Fact]
    public async Task Scrape_Histogram_HasCumulativeBucketsSumAndCount()
    {
        using var meter = new Meter("Test.Exporter.Histogram");
        await using var exporter = await MetricsScrape.StartAsync(meter);
        var histogram = meter.CreateHistogram<double>("holdfast.dns.query.duration", "s", "Latency.");

        histogram.Record(0.00004);
        histogram.Record(0.0003);
        histogram.Record(20);

        var scraped = ScrapedMetrics.Parse(await exporter.ScrapeAsync());
        scraped.Types["holdfast_dns_query_duration_seconds"].ShouldBe("histogram");
        const string Bucket = "holdfast_dns_query_duration_seconds_bucket";
        scraped.Named(Bucket).Select(b => b.Labels["le"]).ShouldBe(["5E-05", "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]);
        scraped.Value(Bucket, ("le", "5E-05")).ShouldBe(1);
        scraped.Value(Bucket, ("le", "0.00025")).ShouldBe(1);
        scraped.Value(Bucket, ("le", "0.0005")).ShouldBe(2);
        scraped.Value(Bucket, ("le", "10")).ShouldBe(2);
        scraped.Value(Bucket, ("le", "+Inf")).ShouldBe(3);
        scraped.Value("holdfast_dns_query_duration_seconds_count").ShouldBe(3);
        scraped.Value("holdfast_dns_query_duration_seconds_sum")!.Value.ShouldBe(20.00034, tolerance: 1e-9);
    }

    [Fact]
    public async Task Scrape_ObservableGauge_IsReadAtEachScrape()
    {
        using var meter = new Meter("Test.Exporter.Gauge");
        await using var exporter = await MetricsScrape.StartAsync(meter);
        var value = 1;
        meter.CreateObservableGauge("holdfast.enactor.lag", () => new Measurement<double>(value * 0.5, new KeyValuePair<string, object?>("enactor", "e1")), "s", "Lag.");

        var first = ScrapedMetrics.Parse(await exporter.ScrapeAsync());
        first.Types["holdfast_enactor_lag_seconds"].ShouldBe("gauge");
        first.Value("holdfast_enactor_lag_seconds", ("enactor", "e1")).ShouldBe(0.5);
        value = 4;
        ScrapedMetrics.Parse(await exporter.ScrapeAsync()).Value("holdfast_enactor_lag_seconds", ("enactor", "e1")).ShouldBe(2);
    }

    [Fact]
    public async Task Scrape_LabelValues_AreEscaped()
    {
        using var meter = new Meter("Test.Exporter.Escape");
        await using var exporter = await MetricsScrape.StartAsync(meter);
        meter.CreateCounter<long>("x.events").Add(1, new KeyValuePair<string, object?>("reason", "say \"hi\"\\\nbye"));

        var text = await exporter.ScrapeAsync();
        text.ShouldContain("x_events_total{reason=\"say \\\"hi\\\"\\\\\\nbye\"} 1\n");
        ScrapedMetrics.Parse(text).Value("x_events_total", ("reason", "say \"hi\"\\\nbye")).ShouldBe(1);
    }

    [Fact]
    public async Task Scrape_OtherMeters_AreNotExported()
    {
        using var mine = new Meter("Test.Exporter.Mine");
        using var other = new Meter("Test.Exporter.Other");
        await using var exporter = await MetricsScrape.StartAsync(mine);

        other.CreateCounter<long>("other.count").Add(1);
        mine.CreateCounter<long>("mine.count").Add(1);

        var text = await exporter.ScrapeAsync();
        ScrapedMetrics.Parse(text).Value("mine_count_total").ShouldBe(1);
        text.ShouldNotContain("other_count");
    }

    [Fact]
    public async Task DnsQueryCounters_CountByZoneTypeAndRcode()
    {
        using var metrics = new HoldfastMetrics();
        await using var exporter = await MetricsScrape.StartAsync(metrics.Meter);
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones(["svc.example.", "eu.svc.example."]);

        Answer(counters, "svc.example.", DnsType.A, rcode: 0);
        Answer(counters, "eu.svc.example.", DnsType.Aaaa, rcode: 3);
        Answer(counters, "eu.svc.example.", DnsType.Aaaa, rcode: 3);
        Answer(counters, "svc.example.", 99, rcode: 0);
        Answer(counters, null, DnsType.A, rcode: 5);

        var text = await exporter.ScrapeAsync();
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"A\",zone=\"svc.example.\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NXDOMAIN\",type=\"AAAA\",zone=\"eu.svc.example.\"} 2\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"other\",zone=\"svc.example.\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"REFUSED\",type=\"A\",zone=\"none\"} 1\n");
        ScrapedMetrics.Parse(text).Value("holdfast_dns_query_duration_seconds_count").ShouldBe(5);
    }

    [Fact]
    public async Task DnsQueryCounters_Answered_DoesNotAllocate_WithTheExporterListening()
    {
        using var metrics = new HoldfastMetrics();
        await using var exporter = await MetricsScrape.StartAsync(metrics.Meter);
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
        (await exporter.ScrapeAsync()).ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"A\",zone=\"eu.svc.example.\"} 10001\n");
    }

    [Fact]
    public async Task DnsQueryCounters_OutcomeOfARealEngine_CountsUnderTheZoneItAnsweredFrom()
    {
        using var metrics = new HoldfastMetrics();
        await using var exporter = await MetricsScrape.StartAsync(metrics.Meter);
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

        var text = await exporter.ScrapeAsync();
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NXDOMAIN\",type=\"AAAA\",zone=\"eu.svc.example.\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"SOA\",zone=\"svc.example.\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"REFUSED\",type=\"A\",zone=\"none\"} 1\n");
        text.ShouldContain("holdfast_dns_queries_total{rcode=\"FORMERR\",type=\"other\",zone=\"none\"} 1\n");
    }

    [Fact]
    public async Task DnsQueryCounters_ZoneNoLongerConfigured_CountsUnderNone()
    {
        using var metrics = new HoldfastMetrics();
        await using var exporter = await MetricsScrape.StartAsync(metrics.Meter);
        var counters = new DnsQueryCounters(metrics);
        counters.SetZones(["svc.example."]);
        Answer(counters, "old.example.", DnsType.A, rcode: 0);
        (await exporter.ScrapeAsync()).ShouldContain("holdfast_dns_queries_total{rcode=\"NOERROR\",type=\"A\",zone=\"none\"} 1\n");
    }

    private static void Answer(DnsQueryCounters counters, string? apex, ushort type, int rcode) =>
        counters.Answered(new QueryOutcome(apex is null ? null : DnsQueryCountersTests.Zone(apex), type, rcode), TimeSpan.FromMilliseconds(0.2));
}
