using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Dns.Tests.Query;

/// <summary>
/// The hot path answers without allocating: at hundreds of thousands of queries per second, every allocated
/// byte per query becomes garbage-collector pauses that show up as tail latency. This counts the bytes the
/// current thread allocates over many answers (an exact counter, not a timer), so it is deterministic.
/// BenchmarkDotNet's MemoryDiagnoser in bench/Holdfast.Benchmarks reports the same figure.
/// </summary>
public sealed class AllocationTests
{
    public static TheoryData<string, ushort, ushort?> Queries() => new()
    {
        { "api.svc.example.", DnsType.A, null },        // endpoint, weighted rotation
        { "API.Svc.Example.", DnsType.A, (ushort)1232 }, // endpoint with EDNS and mixed case
        { "www.svc.example.", DnsType.A, null },        // CNAME chain into an endpoint
        { "nope.svc.example.", DnsType.A, null },       // NXDOMAIN with SOA
        { "b.c.svc.example.", DnsType.Txt, null },      // empty non-terminal: NODATA
        { "svc.example.", DnsType.Any, null },          // ANY, one RRset
        { "www.elsewhere.example.", DnsType.A, null },  // REFUSED
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Answer_ManyQueries_AllocatesNothing(string name, ushort type, ushort? edns)
    {
        var engine = new QueryEngine(TestZones.Standard(maxAnswers: 2));
        var query = DnsQueryBuilder.Build(7, name, type, ednsPayload: edns);
        var response = new byte[DnsConstants.TcpLimit];
        // Warm up: first calls may initialise statics and JIT tiers.
        for (var i = 0; i < 1_000; i++)
        {
            engine.Answer(query, response, overUdp: true);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var length = 0;
        for (var i = 0; i < 10_000; i++)
        {
            length = engine.Answer(query, response, overUdp: true);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        length.ShouldBeGreaterThan(DnsConstants.HeaderLength);
        allocated.ShouldBe(0L, $"bytes allocated by 10,000 answers to {name} {type}");
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Answer_WithTheOutcomeForTheObserver_AllocatesNothing(string name, ushort type, ushort? edns)
    {
        // The overload the DNS server calls: the outcome (zone snapshot, QTYPE, RCODE) is what the metrics count by.
        var engine = new QueryEngine(TestZones.Standard(maxAnswers: 2));
        var query = DnsQueryBuilder.Build(7, name, type, ednsPayload: edns);
        var response = new byte[DnsConstants.TcpLimit];
        byte[] client = [192, 0, 2, 1];
        for (var i = 0; i < 1_000; i++)
        {
            engine.Answer(query, response, true, client, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var inZone = 0;
        for (var i = 0; i < 10_000; i++)
        {
            engine.Answer(query, response, true, client, out var outcome);
            inZone += outcome.Zone is null ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        inZone.ShouldBe(name.EndsWith(".elsewhere.example.", StringComparison.Ordinal) ? 0 : 10_000);
        allocated.ShouldBe(0L, $"bytes allocated by 10,000 answers with outcome to {name} {type}");
    }

    [Fact]
    public void Answer_ValidServerCookie_VerifiesAndAnswersWithoutAllocating()
    {
        byte[] client = [198, 51, 100, 100];
        var engine = new QueryEngine(TestZones.Standard(maxAnswers: 2), new EdnsFeatures
        {
            Nsid = "ns-a"u8.ToArray(),
            CookieSecret = Convert.FromHexString("e5e973e5a6b2a43f48e7dc849e37bfcf"),
            Time = new FakeTimeProvider(TestTime.IncidentStart),
        });
        var response = new byte[DnsConstants.TcpLimit];
        var length = engine.Answer(ServerCookieTests.WithCookie(Convert.FromHexString("2464c4abcf10c957")), response, true, client, out _);
        var query = ServerCookieTests.WithCookie(response[(length - 24)..length]);
        for (var i = 0; i < 1_000; i++)
        {
            engine.Answer(query, response, true, client, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var valid = 0;
        for (var i = 0; i < 10_000; i++)
        {
            engine.Answer(query, response, true, client, out var outcome);
            valid += outcome.ValidServerCookie ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        valid.ShouldBe(10_000);
        allocated.ShouldBe(0L, "bytes allocated by 10,000 answers verifying a server cookie");
    }
}
