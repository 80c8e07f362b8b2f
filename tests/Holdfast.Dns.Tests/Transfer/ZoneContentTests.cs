using System.Net;
using Holdfast.Dns.Records;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;

namespace Holdfast.Dns.Tests.Transfer;

public sealed class ZoneContentTests
{
    [Fact]
    public void Difference_EqualContentInOtherOrder_IsEmpty()
    {
        var (deleted, added) = ZoneContent.Difference(Zone(1, "127.0.0.1", "127.0.0.2"), Zone(2, "127.0.0.2", "127.0.0.1"));
        deleted.ShouldBeEmpty();
        added.ShouldBeEmpty();
    }

    [Fact]
    public void Difference_OwnersAddedAndRemoved_ListsTheirRecords()
    {
        var older = Builder(1, "127.0.0.1").Add("old.svc.example.", DnsType.Txt, 300, Rdata.Txt("gone"))
            .SetEndpoint("leaving.svc.example.", 30, 0, [new(IPAddress.Parse("127.0.0.7"))]).Build();
        var newer = Builder(2, "127.0.0.1").Add("svc.example.", DnsType.Txt, 300, Rdata.Txt("apex"))
            .SetEndpoint("arriving.svc.example.", 30, 0, [new(IPAddress.IPv6Loopback)]).Build();
        var (deleted, added) = ZoneContent.Difference(older, newer);
        // Transfer order compares owner octets, so the shorter first label (3 < 7) leads.
        deleted.Select(r => r.ToString()).ShouldBe([
            "old.svc.example. 300 TYPE16 04676F6E65",
            "leaving.svc.example. 30 TYPE1 7F000007",
        ]);
        added.Select(r => r.ToString()).ShouldBe([
            "svc.example. 300 TYPE16 0461706578",
            "arriving.svc.example. 30 TYPE28 00000000000000000000000000000001",
        ]);
    }

    [Fact]
    public void Records_EndpointListingAnAddressTwice_CarriesItOnce()
    {
        var zone = Builder(1, "127.0.0.1", "127.0.0.1", "127.0.0.2").Build();
        ZoneContent.Records(zone).Count(r => r.ToString().StartsWith("api.", StringComparison.Ordinal)).ShouldBe(2);
    }
}
