using System.Net;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests.Zones;

public sealed class MasterFileWriterTests
{
    [Fact]
    public void Write_Zone_IsSoaFirstThenCanonicalOrderAndReadsBackToTheSameText()
    {
        var zone = ZoneText.Parse("svc.example.", """
            $TTL 300
            @          SOA   ns1 hostmaster 9 3600 600 604800 60
            @          NS    ns1
            z          TXT   "last" "two strings"
            ns1        A     127.0.0.53
            a.b        MX    10 ns1
            *          TYPE65534 \# 2 beef
            child      NS    ns1.child
            ns1.child  AAAA  ::1
            """);

        var text = MasterFileWriter.Write(zone);

        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "svc.example. 300 IN SOA ns1.svc.example. hostmaster.svc.example. 9 3600 600 604800 60",
            "svc.example. 300 IN NS ns1.svc.example.",
            "*.svc.example. 300 IN TYPE65534 \\# 2 beef",
            "a.b.svc.example. 300 IN MX 10 ns1.svc.example.",
            "child.svc.example. 300 IN NS ns1.child.svc.example.",
            "ns1.child.svc.example. 300 IN AAAA ::1",
            "ns1.svc.example. 300 IN A 127.0.0.53",
            "z.svc.example. 300 IN TXT \"last\" \"two strings\"",
        ]);
        MasterFileWriter.Write(ZoneText.Parse("svc.example.", text)).ShouldBe(text);
    }

    [Fact]
    public void Write_Endpoint_WritesEveryAddressNotARotation()
    {
        var zone = new ZoneSnapshotBuilder("svc.example.")
            .WithSoa("ns1.svc.example.", "hostmaster.svc.example.", 1)
            .SetEndpoint("api.svc.example.", 60, 1, [new(IPAddress.Parse("::1")), new(IPAddress.Parse("127.0.0.1")), new(IPAddress.Parse("127.0.0.2"))])
            .Build();

        MasterFileWriter.Write(zone).Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..].ShouldBe([
            "api.svc.example. 60 IN A 127.0.0.1",
            "api.svc.example. 60 IN A 127.0.0.2",
            "api.svc.example. 60 IN AAAA ::1",
        ]);
        ZoneText.Parse("svc.example.", MasterFileWriter.Write(zone)).FindNode(Holdfast.Dns.Names.WireName.FromText("api.svc.example."))![DnsType.A].Count.ShouldBe(2);
    }
}
