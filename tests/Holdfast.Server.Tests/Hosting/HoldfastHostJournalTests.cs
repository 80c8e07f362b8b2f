using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Holdfast.Dns.Names;
using Holdfast.Dns.Transfer;

namespace Holdfast.Server.Tests.Hosting;

/// <summary>
/// The IXFR journal survives a restart of <c>holdfast up</c>: a real Knot secondary transfers the zone, an applied
/// change moves the serial while Knot is not told (no NOTIFY yet, its refresh is an hour away), the host is stopped
/// and started again on the same data directory and DNS port, and after one more change Knot's NOTIFY-driven refresh
/// from its old serial is answered incrementally: the step from before the restart came from
/// <c>dataDirectory/journal/svc.example.journal</c>. Everything listens on 127.0.0.1; Knot sends no NOTIFY.
/// </summary>
public sealed class HoldfastHostJournalTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private static string Yaml(string data, int dnsPort, int? notifyPort, int targets)
    {
        var more = string.Concat(Enumerable.Range(4, targets - 3).Select(i =>
            $"\n      - {{ id: t{i}, address: 127.0.0.{10 + i}, az: az1, capacity: 10 }}"));
        var notify = notifyPort is { } port ? $", notify: [127.0.0.1:{port}]" : "";
        var t3 = "      - { id: t3, address: 127.0.0.13, az: az3, capacity: 10, healthCheck: { kind: external, sources: [ext] } }";
        var yaml = TestHost.Config(data)
            .Replace("dns: { listen: [127.0.0.1:0] }", $"dns: {{ listen: [127.0.0.1:{dnsPort}] }}", StringComparison.Ordinal)
            .Replace("ns: [ns1.svc.example.] }", $"ns: [ns1.svc.example.], allowTransfer: [127.0.0.1/32]{notify} }}", StringComparison.Ordinal)
            .Replace(t3, t3 + more, StringComparison.Ordinal);
        yaml.ShouldContain($"127.0.0.1:{dnsPort}");
        yaml.ShouldContain("allowTransfer");
        yaml.ShouldContain($"t{targets},");
        return yaml;
    }

    [Fact]
    public async Task Up_RestartOnTheSameDataDirectory_KnotBehindByAStep_GetsIxfrFromTheJournalFile()
    {
        using var data = new TempDirectory();
        var dnsPort = ExternalTool.FreePort();
        var knotPort = ExternalTool.FreePort();
        var config = Path.Combine(data.Path, "holdfast.yaml");
        uint before;
        uint behind;
        KnotSecondary? knot = null;
        try
        {
            await RunAsync();
        }
        finally
        {
            if (knot is not null)
            {
                await knot.DisposeAsync();
            }
        }

        async Task RunAsync()
        {
            await File.WriteAllTextAsync(config, Yaml(data.Path, dnsPort, null, 3));
            await using (var host = await TestHost.StartAsync(await File.ReadAllTextAsync(config), data, config))
            {
                await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "api applied with three targets", 30);
                behind = await SerialAsync(dnsPort);
                knot = KnotSecondary.Start("svc.example.", knotPort, dnsPort, null);
                (await ExternalTool.WaitUntilAsync(async () => await SerialAsync(knot!.Port) == behind, s_deadline)).ShouldBeTrue($"knot never loaded serial {behind}\n{knot!.Log}");

                // A fourth target: the serial moves, and Knot, not notified, stays at its serial.
                await File.WriteAllTextAsync(config, Yaml(data.Path, dnsPort, null, 4));
                (await host.Host.ReloadAsync()).Errors.ShouldBeEmpty();
                await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 4, "t4 applied", 30);
                before = await SerialAsync(dnsPort);
                before.ShouldBeGreaterThan(behind);
                (await SerialAsync(knot!.Port)).ShouldBe(behind);
            }

            File.Exists(Path.Combine(data.Path, "journal", "svc.example.journal")).ShouldBeTrue();

            // Started again, now with NOTIFY to Knot: same store, so the same serial and content, so the file lines up.
            await File.WriteAllTextAsync(config, Yaml(data.Path, dnsPort, knotPort, 4));
            await using var again = await TestHost.StartAsync(await File.ReadAllTextAsync(config), data, config);
            var served = new ConcurrentQueue<TransferLogEntry>();
            again.Host.Transfers.Served += served.Enqueue;
            (await SerialAsync(dnsPort)).ShouldBe(before);
            again.Host.Journal.KnownSerials(WireName.FromText("svc.example.")).ShouldContain(behind);

            // dig from Knot's serial: the incremental answer (RFC 1995 §4), the old SOA and t4's address inside.
            var ixfr = await ExternalTool.DigAsync(dnsPort, $"+noall +answer svc.example. IXFR={behind}");
            ixfr.ShouldMatch($@"svc\.example\.\s+3600\s+IN\s+SOA\s+\S+ \S+ {behind} ");
            ixfr.ShouldMatch(@"api\.svc\.example\.\s+60\s+IN\s+A\s+127\.0\.0\.14");
            served.ShouldContain(e => e.Kind == TransferKind.IxfrIncremental && e.FromSerial == behind && e.ToSerial == before);

            // One more change: NOTIFY, and Knot asks IXFR from the serial it had before the restart.
            await File.WriteAllTextAsync(config, Yaml(data.Path, dnsPort, knotPort, 5));
            (await again.Host.ReloadAsync()).Errors.ShouldBeEmpty();
            await TestHost.EventuallyAsync(async () => (await again.LiveAsync()).Count == 5, "t5 applied", 30);
            var after = await SerialAsync(dnsPort);
            (await ExternalTool.WaitUntilAsync(async () => await SerialAsync(knot!.Port) == after, s_deadline)).ShouldBeTrue($"knot never reached serial {after}\n{knot!.Log}");
            var answer = await ExternalTool.DigAsync(knot!.Port, "+norec +short api.svc.example. A");
            answer.ShouldContain("127.0.0.14");
            answer.ShouldContain("127.0.0.15");
            var fromKnot = served.Where(e => e.FromSerial == behind && e.ToSerial != before).ToList();
            fromKnot.ShouldNotBeEmpty($"no transfer from serial {behind} after the change:\n{string.Join("\n", served)}\n{knot!.Log}");
            fromKnot.ShouldAllBe(e => e.Kind == TransferKind.IxfrIncremental);
            served.ShouldNotContain(e => e.Kind == TransferKind.Axfr || e.Kind == TransferKind.IxfrFull);
        }
    }

    private static async Task<uint> SerialAsync(int port)
    {
        var (exit, output) = await ExternalTool.RunAsync("dig", $"@127.0.0.1 -p {port} +time=1 +tries=1 +short +norec svc.example. SOA");
        return exit == 0 && Regex.IsMatch(output, @"^\S+ \S+ \d+ ")
            ? uint.Parse(output.Trim().Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }
}
