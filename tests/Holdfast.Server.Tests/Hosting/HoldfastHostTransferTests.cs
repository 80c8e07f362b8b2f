using System.Net;
using System.Text.RegularExpressions;

namespace Holdfast.Server.Tests.Hosting;

/// <summary>
/// <c>holdfast up</c> (a real <see cref="Holdfast.Server.Hosting.HoldfastHost"/> on free loopback ports) with a zone
/// file and transfer settings: dig AXFR from an allowed address lists endpoint and static records, another
/// loopback address is REFUSED, and a real Knot secondary follows an applied change and a zone-file change
/// through NOTIFY and IXFR, the serial going up by one each time. A broken zone file on reload keeps the old data.
/// </summary>
public sealed class HoldfastHostTransferTests
{
    private const string KeyName = "xfr-key.";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private static readonly string s_secret = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 13))]);

    private static string ZoneFile(string www) => $"""
        $TTL 300
        www     A     {www}
        note    TXT   "static"
        @       MX    10 mail
        mail    A     127.0.0.25
        api     TXT   "endpoint note"
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Up_ZoneFileAndTransfers_AxfrListsBoth_RefusedElsewhere_KnotFollowsAppliesAndFileChanges(bool tsig)
    {
        using var data = new TempDirectory();
        var zoneFile = Path.Combine(data.Path, "svc.example.zone");
        await File.WriteAllTextAsync(zoneFile, ZoneFile("127.0.0.30"));
        var knotPort = ExternalTool.FreePort();
        var config = Path.Combine(data.Path, "holdfast.yaml");
        var yaml = TestHost.Config(data.Path).Replace(
            "ns: [ns1.svc.example.] }",
            $"ns: [ns1.svc.example.], zoneFiles: [{zoneFile}], allowTransfer: [127.0.0.1/32], notify: [127.0.0.1:{knotPort}] }}",
            StringComparison.Ordinal);
        yaml.ShouldContain("allowTransfer");
        if (tsig)
        {
            yaml = yaml.Replace("dns: { listen: [127.0.0.1:0] }", $"dns: {{ listen: [127.0.0.1:0], tsig: \"{KeyName}:{s_secret}\" }}", StringComparison.Ordinal);
            yaml.ShouldContain("tsig:");
        }

        var sign = tsig ? $"-y hmac-sha256:{KeyName}:{s_secret} " : "";
        await File.WriteAllTextAsync(config, yaml);
        await using var host = await TestHost.StartAsync(yaml, data, config);
        var port = host.Host.DnsEndPoints[0].Port;
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "api applied with three targets", 30);
        var serial = SerialOf(await ExternalTool.DigAsync(port, "+short svc.example. SOA"));

        if (tsig)
        {
            (await ExternalTool.DigAsync(port, "svc.example. AXFR")).ShouldContain("Transfer failed", customMessage: "unsigned, with dns.tsig set");
        }

        var axfr = await ExternalTool.DigAsync(port, sign + "svc.example. AXFR");
        foreach (var line in new[]
        {
            @"api\.svc\.example\.\s+60\s+IN\s+A\s+127\.0\.0\.11", @"api\.svc\.example\.\s+60\s+IN\s+A\s+127\.0\.0\.12", @"api\.svc\.example\.\s+60\s+IN\s+A\s+127\.0\.0\.13",
            @"api\.svc\.example\.\s+300\s+IN\s+TXT\s+""endpoint note""", @"www\.svc\.example\.\s+300\s+IN\s+A\s+127\.0\.0\.30",
            @"note\.svc\.example\.\s+300\s+IN\s+TXT\s+""static""", @"svc\.example\.\s+300\s+IN\s+MX\s+10 mail\.svc\.example\.",
            @"svc\.example\.\s+3600\s+IN\s+NS\s+ns1\.svc\.example\.", $@"svc\.example\.\s+3600\s+IN\s+SOA\s+ns1\.svc\.example\. hostmaster\.svc\.example\. {serial} ",
        })
        {
            axfr.ShouldMatch(line);
        }

        // 127.0.0.2 is loopback but outside allowTransfer: REFUSED, as BIND answers.
        var refused = await ExternalTool.DigAsync(port, $"{sign}-b 127.0.0.2 svc.example. AXFR");
        refused.ShouldContain("Transfer failed");
        (await ExternalTool.DigAsync(port, $"{sign}-b 127.0.0.2 +tcp +noall +comments svc.example. AXFR")).ShouldContain("status: REFUSED");

        await using var knot = KnotSecondary.Start("svc.example.", knotPort, port, tsig ? (KeyName, s_secret) : null);
        (await ExternalTool.WaitUntilAsync(async () => await KnotSerialAsync(knot.Port) == serial, s_deadline)).ShouldBeTrue($"knot never loaded serial {serial}\n{knot.Log}");
        (await ExternalTool.DigAsync(knot.Port, "+short note.svc.example. TXT")).Trim().ShouldBe("\"static\"");

        // An applied change (a fourth target through the API): serial + 1, NOTIFY, IXFR.
        using (var put = await host.PutAsync($"/api/v1/endpoints/{TestHost.Api}/targets/t4", """{ "address": "127.0.0.14", "az": "az1", "capacity": 10 }"""))
        {
            put.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 4, "t4 applied", 30);
        var applied = SerialOf(await ExternalTool.DigAsync(port, "+short svc.example. SOA"));
        applied.ShouldBeGreaterThan(serial);
        (await ExternalTool.WaitUntilAsync(async () => await KnotSerialAsync(knot.Port) >= applied, s_deadline)).ShouldBeTrue($"knot never reached serial {applied}\n{knot.Log}");
        (await ExternalTool.DigAsync(knot.Port, "+norec api.svc.example. A")).ShouldContain("127.0.0.14");
        knot.Log.ShouldContain("IXFR", Case.Insensitive);

        // A static change (the zone file rewritten, then a reload): the serial goes up, and Knot follows. (By one, when
        // no apply lands at the same time; the enactors may still be applying, so only "above" is certain here.)
        var beforeEdit = SerialOf(await ExternalTool.DigAsync(port, "+short svc.example. SOA"));
        await File.WriteAllTextAsync(zoneFile, ZoneFile("127.0.0.31"));
        (await host.Host.ReloadAsync()).Errors.ShouldBeEmpty();
        var edited = SerialOf(await ExternalTool.DigAsync(port, "+short svc.example. SOA"));
        edited.ShouldBeGreaterThan(beforeEdit);
        (await ExternalTool.WaitUntilAsync(async () => await KnotSerialAsync(knot.Port) >= edited, s_deadline)).ShouldBeTrue($"knot never reached serial {edited}\n{knot.Log}");
        (await ExternalTool.DigAsync(knot.Port, "+short www.svc.example. A")).Trim().ShouldBe("127.0.0.31");

        // A reload with the same records (a comment added) counts no static change.
        var changes = await host.Host.StaticChangesAsync("svc.example.");
        changes.ShouldBe(1);
        await File.WriteAllTextAsync(zoneFile, "; only a comment more\n" + ZoneFile("127.0.0.31"));
        (await host.Host.ReloadAsync()).Errors.ShouldBeEmpty();
        (await host.Host.StaticChangesAsync("svc.example.")).ShouldBe(changes);

        // A broken file on reload: refused naming file:line; the old static data keeps serving.
        await File.WriteAllTextAsync(zoneFile, ZoneFile("127.0.0.31") + "\nbad A 127.0.0.300\n");
        var broken = await host.Host.ReloadAsync();
        broken.Errors.ShouldHaveSingleItem().ToString().ShouldContain($"zones[0].zoneFiles: {zoneFile}:7: A data: '127.0.0.300' is not an IPv4 address");
        (await ExternalTool.DigAsync(port, "+short www.svc.example. A")).Trim().ShouldBe("127.0.0.31");
        (await host.Host.StaticChangesAsync("svc.example.")).ShouldBe(changes);
    }

    [Fact]
    public async Task Up_EndpointTtlEditAndNsEdit_EachMoveTheSerial_AndAKnotSecondaryServesTheEdit()
    {
        using var data = new TempDirectory();
        var knotPort = ExternalTool.FreePort();
        var config = Path.Combine(data.Path, "holdfast.yaml");
        string Yaml(string ns, int ttl)
        {
            var yaml = TestHost.Config(data.Path)
                .Replace("ns: [ns1.svc.example.] }", $"ns: [{ns}], allowTransfer: [127.0.0.1/32], notify: [127.0.0.1:{knotPort}] }}", StringComparison.Ordinal)
                .Replace("    policy: {", $"    ttl: {ttl}\n    policy: {{", StringComparison.Ordinal);
            yaml.ShouldContain($"ttl: {ttl}");
            return yaml;
        }

        await File.WriteAllTextAsync(config, Yaml("ns1.svc.example.", 60));
        await using var host = await TestHost.StartAsync(await File.ReadAllTextAsync(config), data, config);
        var port = host.Host.DnsEndPoints[0].Port;
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "api applied with three targets", 30);
        var serial = SerialOf(await ExternalTool.DigAsync(port, "+short svc.example. SOA"));
        await using var knot = KnotSecondary.Start("svc.example.", knotPort, port, null);
        (await ExternalTool.WaitUntilAsync(async () => await KnotSerialAsync(knot.Port) == serial, s_deadline)).ShouldBeTrue($"knot never loaded serial {serial}\n{knot.Log}");
        (await ExternalTool.DigAsync(knot.Port, "+norec +noall +answer api.svc.example. A")).ShouldMatch(@"api\.svc\.example\.\s+60\s+IN\s+A");

        // An endpoint's TTL edited: the served data changes, so the serial must move, or the secondary keeps 60.
        await File.WriteAllTextAsync(config, Yaml("ns1.svc.example.", 45));
        (await host.Host.ReloadAsync()).Errors.ShouldBeEmpty();
        uint afterTtl = 0;
        await TestHost.EventuallyAsync(async () => (afterTtl = SerialOf(await ExternalTool.DigAsync(port, "+short svc.example. SOA"))) > serial, "the serial moved after the TTL edit", 30);
        (await ExternalTool.WaitUntilAsync(async () => await KnotSerialAsync(knot.Port) >= afterTtl, s_deadline)).ShouldBeTrue($"knot never reached serial {afterTtl}\n{knot.Log}");
        (await ExternalTool.DigAsync(knot.Port, "+norec +noall +answer api.svc.example. A")).ShouldMatch(@"api\.svc\.example\.\s+45\s+IN\s+A");

        // The zone's NS set edited: the same.
        await File.WriteAllTextAsync(config, Yaml("ns1.svc.example., ns2.svc.example.", 45));
        (await host.Host.ReloadAsync()).Errors.ShouldBeEmpty();
        uint afterNs = 0;
        await TestHost.EventuallyAsync(async () => (afterNs = SerialOf(await ExternalTool.DigAsync(port, "+short svc.example. SOA"))) > afterTtl, "the serial moved after the NS edit", 30);
        (await ExternalTool.WaitUntilAsync(async () => await KnotSerialAsync(knot.Port) >= afterNs, s_deadline)).ShouldBeTrue($"knot never reached serial {afterNs}\n{knot.Log}");
        var ns = await ExternalTool.DigAsync(knot.Port, "+norec +short svc.example. NS");
        ns.ShouldContain("ns2.svc.example.");
        ns.ShouldContain("ns1.svc.example.");
    }

    [Fact]
    public async Task Up_StaticChangeCount_SurvivesARestart_SoTheSerialNeverGoesBack()
    {
        using var data = new TempDirectory();
        var zoneFile = Path.Combine(data.Path, "svc.example.zone");
        await File.WriteAllTextAsync(zoneFile, ZoneFile("127.0.0.30"));
        var yaml = TestHost.Config(data.Path).Replace("ns: [ns1.svc.example.] }", $"ns: [ns1.svc.example.], zoneFiles: [{zoneFile}] }}", StringComparison.Ordinal);
        uint first;
        await using (var host = await TestHost.StartAsync(yaml, data))
        {
            first = SerialOf(await ExternalTool.DigAsync(host.Host.DnsEndPoints[0].Port, "+short svc.example. SOA"));
        }

        // Changed while stopped: the next start counts one more change, and keeps counting from there.
        await File.WriteAllTextAsync(zoneFile, ZoneFile("127.0.0.32"));
        await using (var host = await TestHost.StartAsync(yaml, data))
        {
            var port = host.Host.DnsEndPoints[0].Port;
            SerialOf(await ExternalTool.DigAsync(port, "+short svc.example. SOA")).ShouldBeGreaterThan(first);
            (await host.Host.StaticChangesAsync("svc.example.")).ShouldBe(1);
            (await ExternalTool.DigAsync(port, "+short www.svc.example. A")).Trim().ShouldBe("127.0.0.32");
        }

        // The count is in the store, beside everything else a second node must see; no side file.
        File.Exists(Path.Combine(data.Path, "static-zones.json")).ShouldBeFalse();
    }

    private static uint SerialOf(string soa) => uint.Parse(soa.Trim().Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<uint?> KnotSerialAsync(int port)
    {
        var (exit, output) = await ExternalTool.RunAsync("dig", $"@127.0.0.1 -p {port} +time=1 +tries=1 +short +norec svc.example. SOA");
        return exit == 0 && Regex.IsMatch(output, @"^\S+ \S+ \d+ ") ? SerialOf(output) : null;
    }
}
