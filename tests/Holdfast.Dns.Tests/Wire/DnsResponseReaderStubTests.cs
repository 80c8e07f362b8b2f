using System.Net;
using Holdfast.Dns.Names;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Wire;

public sealed class DnsResponseReaderStubTests
{
    private static byte[] Answer(string name, ushort type, bool overUdp = false, ushort? edns = 1232)
    {
        var response = new byte[DnsConstants.TcpLimit];
        var length = new QueryEngine(TestZones.Standard()).Answer(DnsQueryBuilder.Build(7, name, type, ednsPayload: edns), response, overUdp);
        return response[..length];
    }

    [Fact]
    public void TryReadStubResponse_EndpointAnswer_ReadsIdAddressesAndTtl()
    {
        var addresses = new List<IPAddress>();
        DnsResponseReader.TryReadStubResponse(Answer("API.svc.example.", DnsType.A), WireName.FromText("api.svc.example."), DnsType.A, addresses, out var response).ShouldBeTrue();
        response.ShouldBe(new StubResponse(7, DnsRcode.NoError, false, 3, 60, null));
        addresses.Count.ShouldBe(3);
    }

    [Fact]
    public void TryReadStubResponse_NxDomain_GivesTheRfc2308NegativeTtl()
    {
        DnsResponseReader.TryReadStubResponse(Answer("nope.svc.example.", DnsType.A), WireName.FromText("nope.svc.example."), DnsType.A, [], out var response).ShouldBeTrue();
        response.Rcode.ShouldBe(DnsRcode.NxDomain);
        response.NegativeTtl.ShouldBe(60u, "min(SOA TTL 3600, MINIMUM 60)");
        response.AddressCount.ShouldBe(0);
    }

    [Fact]
    public void TryReadStubResponse_OtherQuestion_IsRejected()
    {
        var addresses = new List<IPAddress>();
        DnsResponseReader.TryReadStubResponse(Answer("api.svc.example.", DnsType.A), WireName.FromText("web.svc.example."), DnsType.A, addresses, out _).ShouldBeFalse();
        DnsResponseReader.TryReadStubResponse(Answer("api.svc.example.", DnsType.A), WireName.FromText("api.svc.example."), DnsType.Aaaa, addresses, out _).ShouldBeFalse();
        addresses.ShouldBeEmpty();
    }

    [Fact]
    public void TryReadStubResponse_EveryPrefix_FailsCleanlyOrReadsEverything()
    {
        var full = Answer("api.svc.example.", DnsType.A);
        var question = WireName.FromText("api.svc.example.");
        for (var length = 0; length < full.Length; length++)
        {
            var addresses = new List<IPAddress>();
            if (DnsResponseReader.TryReadStubResponse(full.AsSpan(0, length), question, DnsType.A, addresses, out _))
            {
                addresses.Count.ShouldBe(3, $"prefix of {length} octets");
            }
            else
            {
                addresses.ShouldBeEmpty($"prefix of {length} octets");
            }
        }
    }

    [Fact]
    public void TryReadStubResponse_TruncatedUdpAnswer_ReportsTc()
    {
        var zone = new Holdfast.Dns.Zones.ZoneSnapshotBuilder("svc.example.").WithSoa("ns1.svc.example.", "hostmaster.svc.example.", 1)
            .SetEndpoint("big.svc.example.", 30, 0, [.. Enumerable.Range(1, 100).Select(i => new Holdfast.Dns.Zones.EndpointAddress(IPAddress.Parse($"10.0.0.{i}")))])
            .Build();
        var response = new byte[DnsConstants.TcpLimit];
        var length = new QueryEngine(new Holdfast.Dns.Zones.ZoneSet([zone])).Answer(DnsQueryBuilder.Build(3, "big.svc.example.", DnsType.A), response, overUdp: true);

        DnsResponseReader.TryReadStubResponse(response.AsSpan(0, length), WireName.FromText("big.svc.example."), DnsType.A, [], out var stub).ShouldBeTrue();
        stub.Truncated.ShouldBeTrue();
    }
}
