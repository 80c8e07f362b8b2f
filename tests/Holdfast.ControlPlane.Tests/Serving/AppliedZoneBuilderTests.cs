using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Serving;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Serving;

/// <summary>
/// Static records from zone files beside the applied endpoints: the serial is 1 + revision + static changes, the
/// endpoint owns its addresses (static A/AAAA/CNAME at its name are left out), other types at its name are served.
/// </summary>
public sealed class AppliedZoneBuilderTests
{
    private static readonly ZoneSpec s_zone = new(Specs.Zone, new SoaValues("ns1.svc.example.", "hostmaster.svc.example."), ["ns1.svc.example."]);

    [Theory]
    [InlineData(0, 0, 1u)]
    [InlineData(41, 0, 42u)]
    [InlineData(41, 3, 45u)]
    [InlineData(uint.MaxValue, 1, 1u)]
    public void Build_Serial_IsOnePlusRevisionPlusStaticChanges(long revision, long changes, uint serial)
    {
        var statics = Statics(changes, "www.svc.example. 300 IN A 127.0.0.30");

        var zone = Build(revision, statics);

        zone.Serial.ShouldBe(serial);
    }

    [Fact]
    public void Build_StaticChangeAndApply_EachMoveTheSerialByOne()
    {
        var before = Build(10, Statics(2, "www.svc.example. 300 IN A 127.0.0.30")).Serial;

        Build(10, Statics(3, "www.svc.example. 300 IN A 127.0.0.31")).Serial.ShouldBe(before + 1);
        Build(11, Statics(2, "www.svc.example. 300 IN A 127.0.0.30")).Serial.ShouldBe(before + 1);
    }

    [Fact]
    public void Build_StaticRecordsAtAnEndpoint_EndpointKeepsItsAddresses_OtherTypesServed()
    {
        var statics = Statics(0,
            "api.svc.example. 300 IN A 127.0.0.99",
            "api.svc.example. 300 IN CNAME elsewhere.example.",
            "api.svc.example. 300 IN TXT \"about api\"",
            "www.svc.example. 300 IN A 127.0.0.30");

        var zone = Build(5, statics);

        var api = WireName.FromText("api.svc.example.");
        zone.FindEndpoint(api).ShouldNotBeNull();
        zone.FindNode(api)!.Keys.ShouldBe([DnsType.Txt]);
        zone.FindNode(WireName.FromText("www.svc.example."))!.Keys.ShouldBe([DnsType.A]);
    }

    private static ZoneSnapshot Build(long revision, StaticZoneRecords statics)
    {
        var endpoint = Specs.Endpoint();
        var applied = new AppliedState(endpoint.Name, new Generation(1), Specs.Records(endpoint, "t1", "t2"), "e1", DateTimeOffset.UnixEpoch, revision);
        var set = AppliedZoneBuilder.Build([s_zone], [endpoint], [applied], revision, new EndpointTable(), new Dictionary<string, StaticZoneRecords> { [Specs.Zone] = statics });
        return set.Zones.ShouldHaveSingleItem();
    }

    private static StaticZoneRecords Statics(long changes, params string[] lines)
    {
        MasterFileReader.TryReadRecords(string.Join('\n', lines), "test.zone", Specs.Zone, out var records, out var errors).ShouldBeTrue(string.Join("; ", errors));
        return new StaticZoneRecords(records, changes);
    }
}
