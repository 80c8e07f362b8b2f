using System.Collections.Concurrent;
using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Records;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using Holdfast.Testing;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>
/// A real Knot secondary follows a Holdfast primary: it transfers the zone (AXFR), then, after a change applied
/// to Holdfast, hears our NOTIFY, asks for IXFR and serves the new data. With and without TSIG.
/// </summary>
public sealed class KnotSecondaryTests
{
    private const string Zone = "svc.example.";
    private const string KeyName = "xfr-key.";
    private static readonly byte[] s_secret = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Knot_FollowsChangesThroughNotifyAndIxfr(bool tsig)
    {
        var knotPort = ExternalTool.FreePort();
        var options = new ZoneTransferOptions
        {
            AllowTransfer = [IPNetwork.Parse("127.0.0.0/8")],
            NotifyTargets = [new IPEndPoint(IPAddress.Loopback, knotPort)],
            TsigKeys = tsig ? [new TsigKey(KeyName, s_secret)] : [],
            RequireTsig = tsig,
            NotifyKeyName = tsig ? KeyName : null,
            NotifyTimeout = TimeSpan.FromSeconds(1),
        };
        var engine = new QueryEngine(Zones(1, ["127.0.0.1", "127.0.0.2", "127.0.0.3"]));
        using var transfers = new ZoneTransferHandler(engine, options, TimeProvider.System);
        var served = new ConcurrentQueue<TransferLogEntry>();
        transfers.Served += served.Enqueue;
        await using var server = new DnsServer(engine, new DnsServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1 }, TimeProvider.System, transfers);
        await server.StartAsync();
        await using var notifier = new ZoneNotifier(engine, options, TimeProvider.System, new Random(7));
        var notified = new ConcurrentQueue<NotifyOutcome>();
        notifier.Completed += notified.Enqueue;

        await using var knot = KnotSecondary.Start(Zone, knotPort, server.TcpEndPoint.Port, tsig ? ("xfr-key", Convert.ToBase64String(s_secret)) : null);

        // First load: Knot has no zone file, so it asks the primary for the whole zone.
        (await ExternalTool.WaitUntilAsync(async () => (await SoaSerialAsync(knot.Port)) == "1", TimeSpan.FromSeconds(30)))
            .ShouldBeTrue($"knot never loaded serial 1\n{knot.Log}\nserved: {string.Join(", ", served)}");
        served.ShouldContain(e => e.Kind == TransferKind.Axfr || e.Kind == TransferKind.IxfrFull, knot.Log);
        var before = await ExternalTool.DigAsync(knot.Port, "+norec api.svc.example. A");
        foreach (var address in new[] { "127.0.0.1", "127.0.0.2", "127.0.0.3" })
        {
            // The primary answers one rotated address per query (max answers 1); the secondary holds all of them.
            before.ShouldMatch($@"api\.svc\.example\.\s+60\s+IN\s+A\s+{address.Replace(".", "\\.", StringComparison.Ordinal)}");
        }

        // A change: one address leaves, one arrives, a TXT is added. NOTIFY, then IXFR.
        engine.Update(Zones(2, ["127.0.0.2", "127.0.0.3", "127.0.0.4"], extraTxt: true));
        (await ExternalTool.WaitUntilAsync(async () => (await SoaSerialAsync(knot.Port)) == "2", TimeSpan.FromSeconds(30)))
            .ShouldBeTrue($"knot never reached serial 2\n{knot.Log}\nserved: {string.Join(", ", served)}\nnotify: {string.Join(", ", notified)}");

        var after = await ExternalTool.DigAsync(knot.Port, "+norec api.svc.example. A");
        after.ShouldNotContain("127.0.0.1\n");
        after.ShouldContain("127.0.0.4");
        (await ExternalTool.DigAsync(knot.Port, "+norec new.svc.example. TXT")).ShouldContain("\"added\"");
        served.ShouldContain(e => e.Kind == TransferKind.IxfrIncremental && e.FromSerial == 1 && e.ToSerial == 2, $"served: {string.Join(", ", served)}\n{knot.Log}");
        transfers.Counters.IxfrIncremental.ShouldBeGreaterThanOrEqualTo(1);
        notified.ShouldContain(n => n.Result == NotifyResult.Acknowledged && n.Serial == 2);
        if (tsig)
        {
            served.ShouldAllBe(e => e.TsigKey == KeyName);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"served: {string.Join("; ", served)}\nnotify: {string.Join("; ", notified)}\n{knot.Log}");
    }

    private static async Task<string> SoaSerialAsync(int port)
    {
        var (exit, output) = await ExternalTool.RunAsync("dig", $"@127.0.0.1 -p {port} +time=1 +tries=1 +short +norec {Zone} SOA");
        var fields = output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return exit == 0 && fields.Length >= 7 ? fields[2] : "";
    }

    private static ZoneSet Zones(uint serial, string[] addresses, bool extraTxt = false)
    {
        var builder = new ZoneSnapshotBuilder(Zone)
            .WithSoa("ns1.svc.example.", "hostmaster.svc.example.", serial)
            .Add(Zone, DnsType.Ns, 3600, Rdata.Name("ns1.svc.example."))
            .Add("ns1.svc.example.", DnsType.A, 3600, Rdata.Address(IPAddress.Parse("127.0.0.53")))
            .Add("www.svc.example.", DnsType.Cname, 300, Rdata.Name("api.svc.example."))
            .Add(Zone, DnsType.Mx, 300, Rdata.Mx(10, "mail.svc.example."))
            .SetEndpoint("api.svc.example.", 60, 1, [.. addresses.Select(a => new EndpointAddress(IPAddress.Parse(a)))]);
        if (extraTxt)
        {
            builder.Add("new.svc.example.", DnsType.Txt, 300, Rdata.Txt("added"));
        }

        return new ZoneSet([builder.Build()]);
    }
}
