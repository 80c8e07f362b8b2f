using System.Net;
using System.Net.Sockets;

namespace Holdfast.Cli.Tests;

/// <summary>
/// The command line's contract without a server: help lists every command and the exit codes, usage errors
/// are one line each naming what is wrong with exit 2, and an API that does not answer is exit 3.
/// </summary>
public sealed class UsageTests
{
    [Fact]
    public async Task Help_Root_ListsEveryCommandAndTheExitCodes()
    {
        var result = await CliRun.RunAsync("--help");

        result.Exit.ShouldBe(0, result.ToString());
        foreach (var command in new[] { "up", "status", "get", "describe", "plan", "history", "freeze", "unfreeze", "rollback", "resume", "release", "events", "config", "sim", "serve" })
        {
            result.Out.ShouldMatch($@"(?m)^\s+{command}\b", $"help lists {command}");
        }

        result.Out.ShouldContain("Exit codes:");
        foreach (var code in new[] { "0  ok", "1  failure", "2  usage error", "3  the Holdfast API is unreachable", "4  unauthorized" })
        {
            result.Out.ShouldContain(code);
        }
    }

    [Fact]
    public async Task Help_Subcommand_ShowsItsOptionsAndTheExitCodes()
    {
        var result = await CliRun.RunAsync("rollback", "--help");

        result.Exit.ShouldBe(0);
        result.Out.ShouldContain("--to <G|last-good>");
        result.Out.ShouldContain("--dry-run");
        result.Out.ShouldContain("--override");
        result.Out.ShouldContain("Exit codes:");
    }

    [Theory]
    [InlineData(new string[0], "holdfast needs a command: up, status, get,")]
    [InlineData(new[] { "get" }, "get needs a command: endpoints, targets, plans")]
    [InlineData(new[] { "bogus" }, "'bogus'")]
    [InlineData(new[] { "freeze", "--reason", "x" }, "freeze needs exactly one of NAME or --all")]
    [InlineData(new[] { "freeze", "api", "--all", "--reason", "x" }, "freeze needs exactly one of NAME or --all")]
    [InlineData(new[] { "freeze", "api" }, "--reason")]
    [InlineData(new[] { "unfreeze", "--all", "--reason", " " }, "--reason must not be empty")]
    [InlineData(new[] { "rollback", "api", "--to", "yesterday", "--reason", "x" }, "--to expects a generation such as 42 or g42, or last-good, not 'yesterday'")]
    [InlineData(new[] { "rollback", "api", "--reason", "x" }, "--to")]
    [InlineData(new[] { "plan", "diff", "api", "--from", "g-1" }, "--from expects a generation such as 42 or g42, not 'g-1'")]
    [InlineData(new[] { "plan", "diff", "api", "--to", "0" }, "--to expects a generation")]
    [InlineData(new[] { "status", "-o", "xml" }, "-o/--output must be table or json, not 'xml'")]
    [InlineData(new[] { "status", "--server", "localhost:8053" }, "--server must be an absolute http:// or https:// URL")]
    [InlineData(new[] { "events", "--limit", "0" }, "--limit must be from 1 to 1000")]
    [InlineData(new[] { "get", "plans" }, "NAME")]
    [InlineData(new[] { "get", "zones" }, "'zones'")]
    [InlineData(new[] { "config", "validate" }, "FILE")]
    public async Task Usage_Invalid_ExitsTwoWithOneLineNamingTheProblem(string[] args, string expected)
    {
        var result = await CliRun.RunAsync(args);

        result.Exit.ShouldBe(2, result.ToString());
        result.Out.ShouldBeEmpty();
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldContain(l => l.StartsWith("holdfast: ", StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal), result.ToString());
        lines[^1].ShouldStartWith("Try 'holdfast");
    }

    [Theory]
    [InlineData("status")]
    [InlineData("get", "endpoints")]
    [InlineData("events", "--watch")]
    [InlineData("freeze", "--all", "--reason", "maintenance")]
    public async Task ClientCommand_NothingListening_ExitsThreeNamingTheServer(params string[] args)
    {
        var server = $"http://127.0.0.1:{ClosedPort()}";

        var result = await CliRun.RunAsync([.. args, "--server", server]);

        result.Exit.ShouldBe(3, result.ToString());
        result.Error.Trim().Split('\n').ShouldHaveSingleItem();
        result.Error.ShouldContain($"cannot reach the Holdfast API at {server}/");
    }

    [Fact]
    public async Task ClientCommand_ServerAcceptsButNeverAnswers_ExitsThreeWithinTheTimeout()
    {
        // A listener that accepts connections and never answers: the client must give up on its own.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var started = TimeProvider.System.GetTimestamp();

        var result = await CliRun.RunAsync("status", "--server", $"http://127.0.0.1:{port}");

        result.Exit.ShouldBe(3, result.ToString());
        result.Error.ShouldContain("no answer from the Holdfast API");
        TimeProvider.System.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(20));
    }

    /// <summary>A loopback port that nothing listens on (bound, read back, released).</summary>
    internal static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
