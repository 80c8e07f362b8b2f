using System.Net;
using BenchmarkDotNet.Attributes;
using Holdfast.Client;
using Holdfast.Client.Resolution;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Zones;

namespace Holdfast.Benchmarks;

/// <summary>
/// Holdfast.Client's cache hit: what every HttpClient connection pays to resolve a name already cached. The goal is
/// well under a microsecond and zero bytes allocated (MemoryDiagnoser's "Allocated" column must read "-"). The
/// cache is filled once from a real Holdfast DNS server on loopback; the TTL (one hour) outlives the run.
/// </summary>
[MemoryDiagnoser]
public class ResolverCacheBenchmarks : IDisposable
{
    private DnsServer _server = null!;
    private HoldfastResolver _resolver = null!;

    /// <summary>Other names in the cache: a hit must not slow down as it grows.</summary>
    [Params(1, 10_000)]
    public int CachedNames { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = new ZoneSnapshotBuilder("bench.example.").WithSoa("ns1.bench.example.", "hostmaster.bench.example.", 1);
        builder.SetEndpoint("api.bench.example.", 3600, 0, [new(IPAddress.Parse("127.0.0.11")), new(IPAddress.Parse("127.0.0.12")), new(IPAddress.Parse("127.0.0.13"))]);
        for (var i = 0; i < CachedNames; i++)
        {
            builder.SetEndpoint($"n{i}.bench.example.", 3600, 0, [new(new IPAddress(new byte[] { 127, 1, (byte)(i >> 8), (byte)i }))]);
        }

        _server = new DnsServer(new QueryEngine(new ZoneSet([builder.Build()])), new DnsServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1 }, TimeProvider.System);
        _server.StartAsync().GetAwaiter().GetResult();
        var options = new HoldfastResolverOptions { LastKnownGoodPath = null, Families = AddressFamilies.IPv4 };
        options.Upstreams.Add(_server.UdpEndPoint);
        _resolver = new HoldfastResolver(options, TimeProvider.System, new SeededRandom(1));
        for (var i = 0; i < CachedNames; i++)
        {
            _resolver.ResolveAsync($"n{i}.bench.example.").AsTask().GetAwaiter().GetResult();
        }

        var first = _resolver.ResolveAsync("api.bench.example.").AsTask().GetAwaiter().GetResult();
        if (first.Addresses.Length != 3)
        {
            throw new InvalidOperationException($"setup resolved {first.Source} with {first.Addresses.Length} addresses");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _resolver.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public int Hit() => Cached("api.bench.example.");

    /// <summary>Another spelling of the same name (case, no final dot): the comparer matches it without a copy.</summary>
    [Benchmark]
    public int HitOtherSpelling() => Cached("API.Bench.Example");

    private int Cached(string name)
    {
        var pending = _resolver.ResolveAsync(name);
        return pending.IsCompletedSuccessfully ? pending.Result.Addresses.Length : throw new InvalidOperationException($"{name} was not a cache hit");
    }
}
