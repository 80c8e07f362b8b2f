using System.Net;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests;

/// <summary>
/// The zone the engine tests answer from, in presentation form:
/// <code>
/// svc.example.          3600 SOA   ns1.svc.example. hostmaster.svc.example. 42 3600 600 604800 60
/// svc.example.          3600 NS    ns1.svc.example.
/// ns1.svc.example.      3600 A     127.0.0.53
/// www.svc.example.       300 CNAME api.svc.example.
/// out.svc.example.       300 CNAME elsewhere.example.org.
/// a.b.c.svc.example.     300 TXT   "deep"            ; b.c and c are empty non-terminals
/// api.svc.example.        60 A     127.0.0.1 127.0.0.2 127.0.0.3   ; endpoint
/// v6.svc.example.         30 AAAA  ::1                             ; endpoint
/// </code>
/// </summary>
public static class TestZones
{
    public static ZoneSet Standard(uint serial = 42, int maxAnswers = 0) =>
        new([
            new ZoneSnapshotBuilder("svc.example.")
                .WithSoa("ns1.svc.example.", "hostmaster.svc.example.", serial)
                .Add("svc.example.", DnsType.Ns, 3600, Rdata.Name("ns1.svc.example."))
                .Add("ns1.svc.example.", DnsType.A, 3600, Rdata.Address(IPAddress.Parse("127.0.0.53")))
                .Add("www.svc.example.", DnsType.Cname, 300, Rdata.Name("api.svc.example."))
                .Add("out.svc.example.", DnsType.Cname, 300, Rdata.Name("elsewhere.example.org."))
                .Add("a.b.c.svc.example.", DnsType.Txt, 300, Rdata.Txt("deep"))
                .SetEndpoint("api.svc.example.", 60, maxAnswers, [new(IPAddress.Parse("127.0.0.1")), new(IPAddress.Parse("127.0.0.2")), new(IPAddress.Parse("127.0.0.3"))])
                .SetEndpoint("v6.svc.example.", 30, 0, [new(IPAddress.IPv6Loopback)])
                .Build(),
        ]);
}
