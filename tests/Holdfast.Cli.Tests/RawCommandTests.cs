namespace Holdfast.Cli.Tests;

/// <summary>
/// <c>holdfast sim</c> and <c>holdfast serve</c> keep their own parsers and exit codes (sim: 0 no violation,
/// 1 violation, 2 usage; serve: 2 usage); the rest of serve is tested with real processes in Server.Tests.
/// </summary>
public sealed class RawCommandTests
{
    [Fact]
    public async Task Sim_FencedProtocol_ExitsZeroWithSummary()
    {
        var result = await CliRun.RunAsync("sim", "--scenario", "oct-2025", "--seed", "1");

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("schedules=1 violations=0");
    }

    [Fact]
    public async Task Sim_LegacyProtocol_ExitsOneOnTheViolation()
    {
        var result = await CliRun.RunAsync("sim", "--scenario", "oct-2025", "--protocol", "legacy", "--seed", "1");

        result.Exit.ShouldBe(1, result.ToString());
        result.Out.ShouldMatch(@"violations=[1-9]");
    }

    [Fact]
    public async Task Sim_GlobalOptionBeforeIt_StillGetsItsOwnArguments()
    {
        var result = await CliRun.RunAsync("-o", "json", "sim", "--scenario", "oct-2025", "--seed", "-3");

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("schedules=1 violations=0");
    }

    [Theory]
    [InlineData("--scenario", "nope")]
    [InlineData("--seeds", "0", "--scenario", "oct-2025")]
    public async Task Sim_BadArguments_ExitsTwo(params string[] args)
    {
        var result = await CliRun.RunAsync(["sim", .. args]);

        result.Exit.ShouldBe(2, result.ToString());
        result.Error.ShouldStartWith("holdfast sim:");
    }

    [Fact]
    public async Task Sim_Help_IsItsOwnUsageWithScenarios()
    {
        var result = await CliRun.RunAsync("sim", "--help");

        result.Exit.ShouldBe(0);
        result.Out.ShouldContain("usage: holdfast sim --scenario NAME");
        result.Out.ShouldContain("oct-2025");
    }

    [Fact]
    public async Task Serve_UnknownOption_ExitsTwoWithItsOwnUsage()
    {
        var result = await CliRun.RunAsync("serve", "--bogus");

        result.Exit.ShouldBe(2, result.ToString());
        result.Error.ShouldContain("holdfast serve: unknown option '--bogus'");
        result.Error.ShouldContain("usage: holdfast serve --zone ORIGIN=FILE");
    }
}
