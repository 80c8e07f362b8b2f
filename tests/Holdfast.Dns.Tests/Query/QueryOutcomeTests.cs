using Holdfast.Dns.Query;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests.Query;

/// <summary>
/// The outcome the engine hands its observer (metrics, rate limiting): the zone is the snapshot its own lookup chose,
/// the type is the QTYPE, the RCODE is the header's, so no observer reads the message or matches names again.
/// <code>
/// svc.example.       parent, with a cut at child.svc.example. (NS, DS)
/// child.svc.example. also served here
/// </code>
/// </summary>
public sealed class QueryOutcomeTests
{
    private static readonly ZoneSet s_zones = new([
        new ZoneSnapshotBuilder("svc.example.")
            .WithSoa("ns1.svc.example.", "hostmaster.svc.example.", 1)
            .Add("child.svc.example.", DnsType.Ns, 3600, Rdata.Name("ns1.child.svc.example."))
            .Build(),
        new ZoneSnapshotBuilder("child.svc.example.")
            .WithSoa("ns1.child.svc.example.", "hostmaster.child.svc.example.", 1)
            .Build(),
    ]);

    public static TheoryData<string, ushort, string?, int> Cases() => new()
    {
        // question                     QTYPE          zone                   RCODE
        { "www.svc.example.",           DnsType.A,     "svc.example.",        DnsRcode.NxDomain },
        { "WWW.Child.SVC.example.",     DnsType.Aaaa,  "child.svc.example.",  DnsRcode.NxDomain },
        { "child.svc.example.",         DnsType.Ds,    "svc.example.",        DnsRcode.NoError },   // RFC 4035 §3.1.4.1: the parent's side
        { "child.svc.example.",         DnsType.Soa,   "child.svc.example.",  DnsRcode.NoError },
        { "svc.example.",               DnsType.Axfr,  "svc.example.",        DnsRcode.Refused },   // in the zone, refused by the engine
        { "www.example.org.",           DnsType.A,     null,                  DnsRcode.Refused },
        { "svc.example.",               999,           "svc.example.",        DnsRcode.NoError },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Answer_Outcome_IsTheEnginesDecision(string name, ushort type, string? zone, int rcode)
    {
        var engine = new QueryEngine(s_zones);
        var response = new byte[DnsConstants.ClassicUdpLimit];

        engine.Answer(DnsQueryBuilder.Build(1, name, type), response, overUdp: true, default, out var outcome);

        outcome.Zone.ShouldBeSameAs(zone is null ? null : s_zones.Find(zone));
        outcome.QuestionType.ShouldBe(type);
        outcome.Rcode.ShouldBe(rcode);
        outcome.Rcode.ShouldBe(response[3] & 0x0F, "the header's RCODE");
    }

    [Fact]
    public void Answer_UnreadableQuestion_IsInNoZoneWithTypeZero()
    {
        var engine = new QueryEngine(s_zones);
        var response = new byte[DnsConstants.ClassicUdpLimit];

        // A question whose name is a pointer to itself (offset 12): FORMERR, nothing readable.
        engine.Answer([0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12], response, overUdp: true, default, out var outcome);

        outcome.ShouldBe(new QueryOutcome(null, 0, DnsRcode.FormErr));
    }
}
