using System.Net;
using BenchmarkDotNet.Attributes;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Benchmarks;

/// <summary>
/// The per-query hot path of the DNS server: reading a query and writing the answer into a pooled buffer.
/// The goal is zero bytes allocated per query (MemoryDiagnoser's "Allocated" column must read "-").
/// </summary>
[MemoryDiagnoser]
public class QueryPathBenchmarks
{
    private readonly byte[] _response = new byte[DnsConstants.DefaultEdnsUdpLimit];
    private QueryEngine _engine = null!;
    private byte[] _endpointQuery = null!;
    private byte[] _endpointQueryEdns = null!;
    private byte[] _staticQuery = null!;
    private byte[] _missingQuery = null!;
    private byte[] _outsideQuery = null!;

    /// <summary>Endpoints in the zone: the engine's lookups must not slow down as the zone grows.</summary>
    [Params(1_000, 100_000)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = new ZoneSnapshotBuilder("bench.example.").WithSoa("ns1.bench.example.", "hostmaster.bench.example.", 1);
        builder.Add("ns1.bench.example.", DnsType.A, 3600, [127, 0, 0, 53]);
        builder.Add("www.bench.example.", DnsType.A, 3600, [127, 0, 0, 80]);
        for (var i = 0; i < Endpoints; i++)
        {
            var count = 3 + (i % 6);
            var addresses = new EndpointAddress[count];
            for (var a = 0; a < count; a++)
            {
                addresses[a] = new EndpointAddress(new IPAddress(new byte[] { 127, (byte)(i >> 8), (byte)i, (byte)(a + 1) }), 1 + (a % 3));
            }

            builder.SetEndpoint($"e{i}.bench.example.", 60, 3, addresses);
        }

        _engine = new QueryEngine(new ZoneSet([builder.Build()]));
        _endpointQuery = DnsQueryBuilder.Build(1, $"e{Endpoints / 2}.bench.example.", DnsType.A);
        _endpointQueryEdns = DnsQueryBuilder.Build(2, $"E{Endpoints / 3}.Bench.Example.", DnsType.A, ednsPayload: 1232);
        _staticQuery = DnsQueryBuilder.Build(3, "www.bench.example.", DnsType.A);
        _missingQuery = DnsQueryBuilder.Build(4, "missing.bench.example.", DnsType.A);
        _outsideQuery = DnsQueryBuilder.Build(5, "www.elsewhere.example.", DnsType.A);
    }

    [Benchmark]
    public QueryReadStatus ParseQuery() => DnsQueryReader.TryRead(_endpointQueryEdns, out _);

    [Benchmark(Baseline = true)]
    public int AnswerEndpoint() => _engine.Answer(_endpointQuery, _response, overUdp: true);

    [Benchmark]
    public int AnswerEndpointWithEdns() => _engine.Answer(_endpointQueryEdns, _response, overUdp: true);

    [Benchmark]
    public int AnswerStaticRecord() => _engine.Answer(_staticQuery, _response, overUdp: true);

    [Benchmark]
    public int AnswerNxdomain() => _engine.Answer(_missingQuery, _response, overUdp: true);

    [Benchmark]
    public int AnswerRefused() => _engine.Answer(_outsideQuery, _response, overUdp: true);
}
