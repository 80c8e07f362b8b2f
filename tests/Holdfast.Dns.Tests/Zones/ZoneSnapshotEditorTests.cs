using System.Net;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests.Zones;

/// <summary>
/// An edited snapshot serves what a snapshot built whole from the same data serves, and carries the IXFR step that a
/// full comparison of the two snapshots finds.
/// </summary>
public sealed class ZoneSnapshotEditorTests
{
    private const string Apex = "svc.example.";

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Edit_RandomChanges_EqualsAWholeBuildAndCarriesTheFullDifference(int seed)
    {
        var random = new Random(seed);
        var endpoints = new Dictionary<string, EndpointRecords>(StringComparer.Ordinal);
        var statics = new Dictionary<string, Dictionary<ushort, Rrset>>(StringComparer.Ordinal);
        var zone = Whole(1, endpoints, statics);
        for (var serial = 2u; serial < 40; serial++)
        {
            var editor = zone.Edit().SetSoa(Soa(serial));
            for (var edit = 0; edit < 1 + random.Next(6); edit++)
            {
                var name = Names[random.Next(Names.Length)];
                var owner = WireName.FromText(name);
                if (random.Next(2) == 0)
                {
                    var records = random.Next(4) == 0 ? null : Endpoint(random);
                    Set(endpoints, name, records);
                    editor.SetEndpoint(owner, records);
                }
                else
                {
                    var node = random.Next(4) == 0 ? null : StaticNode(random, isCut: name.StartsWith("child.", StringComparison.Ordinal));
                    Set(statics, name, node);
                    editor.SetNode(owner, node);
                }

                // An endpoint owns its addresses: leave static data at its name to other types.
                if (endpoints.ContainsKey(name) && statics.TryGetValue(name, out var shadowed))
                {
                    shadowed.Remove(DnsType.A);
                    Set(statics, name, shadowed.Count == 0 ? null : shadowed);
                    editor.SetNode(owner, statics.GetValueOrDefault(name));
                }
            }

            var edited = editor.Build();
            var whole = Whole(serial, endpoints, statics);
            Text(ZoneContent.Records(edited)).ShouldBe(Text(ZoneContent.Records(whole)));
            edited.Serial.ShouldBe(serial);
            foreach (var name in Names.Append("deep." + Apex).Append("a.deep." + Apex).Append("x.child." + Apex))
            {
                var wire = WireName.FromText(name);
                edited.Exists(wire).ShouldBe(whole.Exists(wire), name);
                edited.IsEmptyNonTerminal(wire).ShouldBe(whole.IsEmptyNonTerminal(wire), name);
                edited.FindCut(wire).ShouldBe(whole.FindCut(wire), name);
            }

            var (deleted, added) = ZoneContent.Difference(zone, edited);
            edited.Change.ShouldNotBeNull();
            edited.Change.FromSerial.ShouldBe(serial - 1);
            edited.Change.ToSerial.ShouldBe(serial);
            Text(edited.Change.Deleted).ShouldBe(Text(deleted));
            Text(edited.Change.Added).ShouldBe(Text(added));
            zone = edited;
        }
    }

    [Fact]
    public void Edit_OneEndpoint_SharesEveryOtherEndpointWithThePreviousSnapshot()
    {
        var builder = new ZoneSnapshotBuilder(Apex).WithSoa("ns1.svc.example.", "hostmaster.svc.example.", 1);
        for (var i = 0; i < 1_000; i++)
        {
            builder.SetEndpoint($"e{i}.svc.example.", 60, 0, [new EndpointAddress(IPAddress.Parse($"127.0.{i / 250}.{(i % 250) + 1}"))]);
        }

        var before = builder.Build();
        var after = before.Edit().SetSoa(Soa(2)).SetEndpoint(WireName.FromText("e7.svc.example."), new EndpointRecords(60, 0, [new(IPAddress.Parse("127.9.9.9"))])).Build();

        after.FindEndpoint(WireName.FromText("e8.svc.example.")).ShouldBeSameAs(before.FindEndpoint(WireName.FromText("e8.svc.example.")));
        after.Change!.Deleted.Select(r => r.ToString()).ShouldBe(["e7.svc.example. 60 TYPE1 7F000008"]);
        after.Change.Added.Select(r => r.ToString()).ShouldBe(["e7.svc.example. 60 TYPE1 7F090909"]);
        before.FindEndpoint(WireName.FromText("e7.svc.example."))!.Addresses.ShouldHaveSingleItem().Address.ShouldBe(IPAddress.Parse("127.0.0.8"));
    }

    [Fact]
    public void Build_StaticAddressAtAnEndpoint_IsRefused()
    {
        var owner = WireName.FromText("api.svc.example.");
        var editor = new ZoneSnapshotEditor(Apex).SetSoa(Soa(1))
            .SetEndpoint(owner, new EndpointRecords(60, 0, [new(IPAddress.Loopback)]))
            .SetNode(owner, new Dictionary<ushort, Rrset> { [DnsType.A] = new(DnsType.A, 60, [[127, 0, 0, 2]]) });

        Should.Throw<InvalidOperationException>(editor.Build).Message.ShouldContain("is an endpoint");
    }

    private static readonly string[] Names = ["api." + Apex, "web." + Apex, "a.deep." + Apex, "b.a.deep." + Apex, "child." + Apex, "ns.child." + Apex, Apex];

    private static Rrset Soa(uint serial) => new(DnsType.Soa, 3600, [Rdata.Soa("ns1.svc.example.", "hostmaster.svc.example.", serial, 3600, 600, 604800, 60)]);

    private static ZoneSnapshot Whole(uint serial, Dictionary<string, EndpointRecords> endpoints, Dictionary<string, Dictionary<ushort, Rrset>> statics)
    {
        var builder = new ZoneSnapshotBuilder(Apex).WithSoa("ns1.svc.example.", "hostmaster.svc.example.", serial);
        foreach (var (name, node) in statics)
        {
            foreach (var set in node.Values)
            {
                set.Rdata.ToList().ForEach(r => builder.Add(name, set.Type, set.Ttl, r));
            }
        }

        foreach (var (name, endpoint) in endpoints)
        {
            builder.SetEndpoint(name, endpoint.Ttl, endpoint.MaxAnswers, endpoint.Addresses);
        }

        return builder.Build();
    }

    private static EndpointRecords Endpoint(Random random) =>
        new((uint)(30 + random.Next(3)), 0, [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => new EndpointAddress(new IPAddress([127, 0, 1, (byte)(1 + random.Next(9))])))]);

    private static Dictionary<ushort, Rrset> StaticNode(Random random, bool isCut)
    {
        var node = new Dictionary<ushort, Rrset> { [DnsType.Txt] = new(DnsType.Txt, 300, [Rdata.Txt("v" + random.Next(3))]) };
        if (random.Next(2) == 0)
        {
            node[DnsType.A] = new(DnsType.A, 300, [[127, 0, 2, (byte)(1 + random.Next(3))]]);
        }

        if (isCut)
        {
            node[DnsType.Ns] = new(DnsType.Ns, 300, [Rdata.Name("ns.child.svc.example.")]);
        }

        return node;
    }

    private static void Set<T>(Dictionary<string, T> map, string name, T? value)
        where T : class
    {
        if (value is null)
        {
            map.Remove(name);
        }
        else
        {
            map[name] = value;
        }
    }

    private static List<string> Text(IEnumerable<TransferRecord> records) => [.. records.Select(r => r.ToString())];
}
