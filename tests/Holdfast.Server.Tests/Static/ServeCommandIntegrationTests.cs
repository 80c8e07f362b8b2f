using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Holdfast.Server.Tests.Static;

/// <summary>
/// The real <c>holdfast serve</c> as a child process on a free loopback port, queried with <c>dig</c>:
/// a reload on SIGHUP serves the new file, a broken file on SIGHUP keeps the old data serving, SIGTERM stops
/// it with exit code 0. Waits are on the process's own output lines, each with a deadline.
/// </summary>
public sealed partial class ServeCommandIntegrationTests : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private readonly TempZoneFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Serve_SighupReloadsAndKeepsOldDataOnABrokenFile_SigtermExitsZero()
    {
        var zone = _files.Write("svc.example.zone", TempZoneFiles.SvcZone(1, "127.0.0.1"));
        await using var serve = HoldfastProcess.Start("serve", "--zone", $"svc.example.={zone}", "--listen", "127.0.0.1:0");

        var started = await serve.WaitForLineAsync(line => StartedLine().IsMatch(line), s_deadline);
        var port = int.Parse(StartedLine().Match(started).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        started.ShouldContain($"dig @127.0.0.1 -p {port} svc.example. SOA");
        (await DigAsync(port, "www.svc.example. A")).ShouldBe("127.0.0.1");

        _files.Write("svc.example.zone", TempZoneFiles.SvcZone(2, "127.0.0.2"));
        await serve.SignalAsync("HUP");
        await serve.WaitForLineAsync(line => line.Contains("reloaded zone svc.example.", StringComparison.Ordinal) && line.Contains("serial 2", StringComparison.Ordinal), s_deadline);
        (await DigAsync(port, "www.svc.example. A")).ShouldBe("127.0.0.2");
        (await DigAsync(port, "svc.example. SOA")).ShouldContain(" 2 3600 600 604800 60");

        _files.Write("svc.example.zone", TempZoneFiles.SvcZone(3, "127.0.0.3") + "\nwww2 A 127.0.0.300\n");
        await serve.SignalAsync("HUP");
        await serve.WaitForLineAsync(line => line.Contains($"{zone}:6: A data: '127.0.0.300' is not an IPv4 address", StringComparison.Ordinal), s_deadline);
        await serve.WaitForLineAsync(line => line.Contains("still serving serial 2", StringComparison.Ordinal), s_deadline);
        (await DigAsync(port, "www.svc.example. A")).ShouldBe("127.0.0.2");

        await serve.SignalAsync("TERM");
        (await serve.WaitForExitAsync(s_deadline)).ShouldBe(0, serve.Output);
        serve.Output.ShouldContain("holdfast serve: stopped.");
    }

    [Fact]
    public async Task Serve_WildcardsAndReferrals_AsDigReadsThem()
    {
        var zone = _files.Write("svc.example.zone", TempZoneFiles.SvcZone(1, "127.0.0.1") + """

            *.wild      CNAME www
            child       NS    ns1.child
            ns1.child   A     127.0.0.54
            """);
        await using var serve = HoldfastProcess.Start("serve", "--zone", $"svc.example.={zone}", "--listen", "127.0.0.1:0");
        var port = int.Parse(StartedLine().Match(await serve.WaitForLineAsync(line => StartedLine().IsMatch(line), s_deadline)).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);

        var wildcard = await DigAsync(port, "any.wild.svc.example. A", "+noall +answer +comments");
        wildcard.ShouldMatch(@"flags: qr aa[ ;]");
        wildcard.ShouldMatch(@"any\.wild\.svc\.example\.\s+300\s+IN\s+CNAME\s+www\.svc\.example\.");
        wildcard.ShouldMatch(@"www\.svc\.example\.\s+300\s+IN\s+A\s+127\.0\.0\.1");

        var referral = await DigAsync(port, "host.child.svc.example. A", "+noall +authority +additional +comments");
        referral.ShouldContain("status: NOERROR");
        referral.ShouldMatch(@"flags: qr[ ;]");
        referral.ShouldNotMatch(@"flags:[^;]*\baa\b", "a referral is not authoritative");
        referral.ShouldMatch(@"child\.svc\.example\.\s+300\s+IN\s+NS\s+ns1\.child\.svc\.example\.");
        referral.ShouldMatch(@"ns1\.child\.svc\.example\.\s+300\s+IN\s+A\s+127\.0\.0\.54");
    }

    [Fact]
    public async Task Serve_BadUsage_ExitsTwoWithUsage()
    {
        await using var serve = HoldfastProcess.Start("serve", "--zone", "svc.example.");
        (await serve.WaitForExitAsync(s_deadline)).ShouldBe(2);
        serve.Output.ShouldContain("--zone 'svc.example.': expected ORIGIN=FILE");
        serve.Output.ShouldContain("usage: holdfast serve");
    }

    [Fact]
    public async Task Serve_BrokenFile_ExitsOneNamingFileAndLine()
    {
        var zone = _files.Write("broken.zone", "$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 604800 60\nwww CNAME a\nwww A 127.0.0.1\n");
        await using var serve = HoldfastProcess.Start("serve", "--zone", $"svc.example.={zone}", "--listen", "127.0.0.1:0");
        (await serve.WaitForExitAsync(s_deadline)).ShouldBe(1);
        serve.Output.ShouldContain($"{zone}:4: www.svc.example. has a CNAME and other data (see line 3)");
        serve.Output.ShouldNotContain("DNS on");
    }

    [GeneratedRegex(@"DNS on 127\.0\.0\.1:(?<port>\d+) \(UDP and TCP\)")]
    private static partial Regex StartedLine();

    private static async Task<string> DigAsync(int port, string question, string options = "+short")
    {
        var start = new ProcessStartInfo("dig", $"@127.0.0.1 -p {port} +time=2 +tries=1 {options} {question}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(s_deadline);
        var output = await process.StandardOutput.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        process.ExitCode.ShouldBe(0, $"dig {question}: {output}");
        return output.Trim();
    }
}
