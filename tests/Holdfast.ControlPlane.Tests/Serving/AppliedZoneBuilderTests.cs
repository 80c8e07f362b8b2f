using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Serving;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Serving;

/// <summary>
/// Static records from zone files beside the applied endpoints: the serial is the store's, the endpoint owns its
/// addresses (static A/AAAA/CNAME at its name are left out), other types at its name are served.
/// </summary>
public sealed class AppliedZoneBuilderTests
{
    private static readonly ZoneSpec s_zone = new(Specs.Zone, new SoaValues("ns1.svc.example.", "hostmaster.svc.example."), ["ns1.svc.example."]);

    [Theory]
    [InlineData(1u)]
    [InlineData(42u)]
    [InlineData(uint.MaxValue)]
    public void BuildZone_Serial_IsTheOneDerivedFromTheStore(uint serial)
    {
        var zone = Build(serial, Statics("www.svc.example. 300 IN A 127.0.0.30"));

        zone.Serial.ShouldBe(serial);
        zone.Soa.Ttl.ShouldBe((uint)s_zone.DefaultTtl);
    }

    [Fact]
    public void Build_StaticRecordsAtAnEndpoint_EndpointKeepsItsAddresses_OtherTypesServed()
    {
        var statics = Statics(
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

    private static ZoneSnapshot Build(uint serial, StaticZoneRecords statics)
    {
        var endpoint = Specs.Endpoint();
        var addresses = Specs.Records(endpoint, "t1", "t2").Select(r => new EndpointAddress(r.Address, r.Weight)).ToList();
        return AppliedZoneBuilder.BuildZone(s_zone, serial, [new ServedZoneEndpoint(endpoint.Name, endpoint.Policy.Ttl, 0, addresses)], statics);
    }

    private static StaticZoneRecords Statics(params string[] lines)
    {
        MasterFileReader.TryReadRecords(string.Join('\n', lines), "test.zone", Specs.Zone, out var records, out var errors).ShouldBeTrue(string.Join("; ", errors));
        return new StaticZoneRecords(records);
    }
}
