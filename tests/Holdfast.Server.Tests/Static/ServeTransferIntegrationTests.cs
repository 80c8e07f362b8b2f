using System.Globalization;
using System.Text.RegularExpressions;

namespace Holdfast.Server.Tests.Static;

/// <summary>
/// A real Knot secondary of the real <c>holdfast serve</c> process: Knot transfers the zone at start (AXFR), then
/// the zone file is rewritten with serial + 1 and the process gets SIGHUP; Holdfast sends NOTIFY, Knot asks for
/// IXFR (answered from the journal of the previous snapshot) and serves the new data. Unsigned, and with
/// <c>--tsig</c>, where an unsigned AXFR is refused and a signed one succeeds. Both processes are killed by PID.
/// </summary>
public sealed partial class ServeTransferIntegrationTests : IDisposable
{
    private const string KeyName = "xfr-key.";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private static readonly string s_secret = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 11))]);
    private readonly TempZoneFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_KnotSecondary_AxfrAtStartThenNotifyAndIxfrAfterSighup(bool tsig)
    {
        var zone = _files.Write("svc.example.zone", TempZoneFiles.SvcZone(1, "127.0.0.1"));
        var knotPort = ExternalTool.FreePort();
        string[] args = ["serve", "--zone", $"svc.example.={zone}", "--listen", "127.0.0.1:0", "--allow-transfer", "127.0.0.0/8", "--notify", $"127.0.0.1:{knotPort}"];
        await using var serve = HoldfastProcess.Start(tsig ? [.. args, "--tsig", $"{KeyName}:{s_secret}"] : args);
        var port = int.Parse(StartedLine().Match(await serve.WaitForLineAsync(line => StartedLine().IsMatch(line), s_deadline)).Groups["port"].Value, CultureInfo.InvariantCulture);

        if (tsig)
        {
            (await ExternalTool.DigAsync(port, "svc.example. AXFR")).ShouldContain("Transfer failed", customMessage: "an unsigned AXFR must be refused when --tsig is set");
            (await ExternalTool.DigAsync(port, $"-y hmac-sha256:{KeyName}:{s_secret} svc.example. AXFR")).ShouldMatch(@"www\.svc\.example\.\s+300\s+IN\s+A\s+127\.0\.0\.1");
        }

        await using var knot = KnotSecondary.Start("svc.example.", knotPort, port, tsig ? (KeyName, s_secret) : null);
        (await ExternalTool.WaitUntilAsync(async () => await SerialAtAsync(knot.Port) == "1", s_deadline))
            .ShouldBeTrue($"knot never loaded serial 1\n{knot.Log}\n{serve.Output}");
        await serve.WaitForLineAsync(line => Regex.IsMatch(line, @"transfer svc\.example\. (axfr|ixfrfull) .*1 to 127\.0\.0\.1"), s_deadline);
        (await ExternalTool.DigAsync(knot.Port, "+short www.svc.example. A")).Trim().ShouldBe("127.0.0.1");

        _files.Write("svc.example.zone", TempZoneFiles.SvcZone(2, "127.0.0.2") + "\nnew TXT \"added\"\n");
        await serve.SignalAsync("HUP");
        (await ExternalTool.WaitUntilAsync(async () => await SerialAtAsync(knot.Port) == "2", s_deadline))
            .ShouldBeTrue($"knot never reached serial 2\n{knot.Log}\n{serve.Output}");
        (await ExternalTool.DigAsync(knot.Port, "+short www.svc.example. A")).Trim().ShouldBe("127.0.0.2");
        (await ExternalTool.DigAsync(knot.Port, "+short new.svc.example. TXT")).Trim().ShouldBe("\"added\"");

        var notified = await serve.WaitForLineAsync(line => line.Contains($"notify svc.example. serial 2 to 127.0.0.1:{knotPort}: acknowledged", StringComparison.Ordinal), s_deadline);
        var incremental = await serve.WaitForLineAsync(line => line.Contains("transfer svc.example. ixfrincremental 1 -> 2 to 127.0.0.1", StringComparison.Ordinal), s_deadline);
        if (tsig)
        {
            incremental.ShouldEndWith($"key {KeyName})");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{notified}\n{incremental}\n{serve.Output}\n{knot.Log}");
    }

    [Fact]
    public async Task Serve_WithJournal_RestartedAtTheSameSerial_AnswersIxfrFromBeforeTheRestart()
    {
        var zone = _files.Write("svc.example.zone", TempZoneFiles.SvcZone(1, "127.0.0.1"));
        var journal = Path.Combine(_files.Directory, "journal");
        var port = ExternalTool.FreePort();
        string[] args = ["serve", "--zone", $"svc.example.={zone}", "--listen", $"127.0.0.1:{port}", "--allow-transfer", "127.0.0.1/32", "--journal", journal];
        await using (var first = HoldfastProcess.Start(args))
        {
            await first.WaitForLineAsync(line => StartedLine().IsMatch(line), s_deadline);
            _files.Write("svc.example.zone", TempZoneFiles.SvcZone(2, "127.0.0.2"));
            await first.SignalAsync("HUP");
            await first.WaitForLineAsync(line => line.Contains("reloaded zone svc.example.", StringComparison.Ordinal), s_deadline);
            await first.SignalAsync("TERM");
            (await first.WaitForExitAsync(s_deadline)).ShouldBe(0, first.Output);
        }

        await using var second = HoldfastProcess.Start(args);
        await second.WaitForLineAsync(line => StartedLine().IsMatch(line), s_deadline);
        second.Output.ShouldContain($"journal svc.example. loaded: 1 step(s), serials 1 -> 2 ({Path.Combine(journal, "svc.example.journal")})");

        // RFC 1995 §4: SOA 2, then the step: SOA 1, www 127.0.0.1 deleted, SOA 2, www 127.0.0.2 added, then SOA 2.
        var ixfr = await ExternalTool.DigAsync(port, "+noall +answer svc.example. IXFR=1");
        ixfr.ShouldMatch(@"(?s)SOA\s+ns1\.svc\.example\. hostmaster\.svc\.example\. 2 .*SOA\s+ns1\.svc\.example\. hostmaster\.svc\.example\. 1 .*www\.svc\.example\.\s+300\s+IN\s+A\s+127\.0\.0\.1\s.*www\.svc\.example\.\s+300\s+IN\s+A\s+127\.0\.0\.2\s");
        await second.WaitForLineAsync(line => line.Contains("transfer svc.example. ixfrincremental 1 -> 2 to 127.0.0.1", StringComparison.Ordinal), s_deadline);
    }

    private static async Task<string> SerialAtAsync(int port)
    {
        var (exit, output) = await ExternalTool.RunAsync("dig", $"@127.0.0.1 -p {port} +time=1 +tries=1 +short +norec svc.example. SOA");
        var fields = output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return exit == 0 && fields.Length >= 7 ? fields[2] : "";
    }

    [GeneratedRegex(@"DNS on 127\.0\.0\.1:(?<port>\d+) \(UDP and TCP\)")]
    private static partial Regex StartedLine();
}
