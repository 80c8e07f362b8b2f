using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Zones;

namespace Holdfast.Client.Tests;

/// <summary>
/// A real Holdfast DNS server (QueryEngine behind DnsServer, UDP and TCP) on 127.0.0.1 with a free port, serving
/// zone <c>svc.example.</c>. Endpoints are published, emptied or removed by rebuilding the zone, as the host does;
/// the server can be stopped and started again on the same port.
/// </summary>
internal sealed class HoldfastDnsFixture : IAsyncDisposable
{
    public const string Zone = "svc.example.";
    private readonly QueryEngine _engine = new();
    private readonly Dictionary<string, (uint Ttl, IPAddress[] Addresses)> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private DnsServer? _server;
    private uint _serial = 1;

    private HoldfastDnsFixture()
    {
    }

    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    public static async Task<HoldfastDnsFixture> StartAsync()
    {
        var fixture = new HoldfastDnsFixture();
        fixture.Rebuild();
        await fixture.StartServerAsync();
        return fixture;
    }

    /// <summary>Publishes <paramref name="name"/> (relative to the zone) with these addresses; none gives NODATA.</summary>
    public void Publish(string name, uint ttl, params string[] addresses)
    {
        _endpoints[name] = (ttl, addresses.Select(IPAddress.Parse).ToArray());
        Rebuild();
    }

    /// <summary>Removes <paramref name="name"/>: queries for it answer NXDOMAIN.</summary>
    public void Remove(string name)
    {
        _endpoints.Remove(name);
        Rebuild();
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>Starts again on the same port.</summary>
    public Task RestartAsync() => StartServerAsync();

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task StartServerAsync()
    {
        var server = new DnsServer(_engine, new DnsServerOptions { Listen = EndPoint, UdpLoops = 1 }, TimeProvider.System);
        await server.StartAsync();
        _server = server;
        EndPoint = server.UdpEndPoint;
    }

    private void Rebuild()
    {
        // The SOA's MINIMUM of 2 seconds gives NXDOMAIN and NODATA a 2-second negative TTL (RFC 2308 §5).
        var builder = new ZoneSnapshotBuilder(Zone)
            .WithSoa("ns1.svc.example.", "hostmaster.svc.example.", _serial++, ttl: 60, minimum: 2)
            .Add(Zone, Dns.Wire.DnsType.Ns, 60, Dns.Records.Rdata.Name("ns1.svc.example."));
        foreach (var (name, (ttl, addresses)) in _endpoints)
        {
            builder.SetEndpoint($"{name}.{Zone}", ttl, 0, [.. addresses.Select(a => new EndpointAddress(a))]);
        }

        _engine.Update(new ZoneSet([builder.Build()]));
    }
}
