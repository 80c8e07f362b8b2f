using Holdfast.ControlPlane.Serving;
using Holdfast.Dns.Zones;
using Holdfast.Testing.Builders;

namespace Holdfast.ControlPlane.Tests.Serving;

/// <summary>
/// The rules for a zone's static records, checked on records the host has read (no file here): each file's records
/// stand next to the others', so a rule broken across two files names both, as <c>file:line</c>.
/// </summary>
public sealed class StaticZoneRecordsTests
{
    public static TheoryData<string, string, string> Broken() => new()
    {
        // a.zone                              b.zone                                   the problem (at b.zone:2 unless said)
        { "www 60 A 127.0.0.1",                "www 60 CNAME api",                      "b.zone:2: www.svc.example. has a CNAME and other data (see a.zone:2): a CNAME must be alone at its name (RFC 1034 §3.6.2)" },
        { "www 60 CNAME api",                  "www 60 TXT x",                          "b.zone:2: www.svc.example. has a CNAME and other data (see a.zone:2)" },
        { "www 60 CNAME api",                  "www 60 CNAME other",                    "b.zone:2: a second CNAME at www.svc.example. (the first is at a.zone:2): a name has at most one (RFC 2181 §10.1)" },
        { "x 60 TXT x",                        "@ 60 CNAME elsewhere.example.",         "b.zone:2: a CNAME at the apex svc.example., which has the SOA and NS records" },
        { "x 60 TXT x",                        "api 60 A 127.0.0.9",                    "b.zone:2: api.svc.example. is an endpoint: its addresses come from the applied plans, so a static A record there is not allowed" },
        { "x 60 TXT x",                        "@ 60 SOA ns1 hostmaster 1 3600 600 604800 60", "b.zone:2: SOA: the SOA of a zone served by holdfast up comes from zones[].soa" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void TryCheck_RuleBrokenAcrossFiles_NamesBothPlaces(string a, string b, string problem)
    {
        StaticZoneRecords.TryCheck(Specs.Zone, [File("a.zone", a), File("b.zone", b)], ["api.svc.example."], out var records, out var errors).ShouldBeFalse();

        records.ShouldBeEmpty();
        errors.ShouldHaveSingleItem().ShouldStartWith(problem);
    }

    [Fact]
    public void TryCheck_TheSameCnameInTwoFiles_IsOneRecord()
    {
        StaticZoneRecords.TryCheck(Specs.Zone, [File("a.zone", "www 60 CNAME api"), File("b.zone", "www 60 CNAME api")], [], out var records, out var errors).ShouldBeTrue(string.Join("; ", errors));

        records.Count.ShouldBe(2, "both are kept; the snapshot builder keeps identical records once (RFC 2181 §5)");
    }

    [Fact]
    public void TryCheck_OtherTypesAtAnEndpointAndApexNs_AreAccepted()
    {
        var files = new[] { File("a.zone", "api 60 TXT \"about api\""), File("b.zone", "@ 60 NS ns2") };

        StaticZoneRecords.TryCheck(Specs.Zone, files, ["api.svc.example."], out var records, out var errors).ShouldBeTrue(string.Join("; ", errors));

        records.Count.ShouldBe(2);
    }

    /// <summary>One file as the host hands it over: a <c>$TTL</c> line, then the given line (so it is line 2).</summary>
    private static ZoneFileRecords File(string name, string line)
    {
        MasterFileReader.TryReadRecords("$TTL 60\n" + line + "\n", name, Specs.Zone, out var records, out var errors).ShouldBeTrue(string.Join("; ", errors));
        return new ZoneFileRecords(name, records);
    }
}
