namespace Holdfast.Simulation.Tests;

public sealed class SimulationCommandLineTests
{
    [Fact]
    public void Run_FencedOctober2025_ExitsZeroWithSummaryLastLine()
    {
        var (code, stdout, _) = Run("--scenario", "oct-2025", "--protocol", "fenced", "--seeds", "3");

        code.ShouldBe(0);
        stdout.ShouldContain("schedules       3");
        stdout.ShouldContain("guardrail firings");
        stdout.ShouldContain("I1-never-empty");
        LastLine(stdout).ShouldBe("schedules=3 violations=0");
    }

    [Fact]
    public void Run_LegacyOctober2025_ExitsOneAndPrintsTheReproCommand()
    {
        var (code, stdout, _) = Run("--scenario", "oct-2025", "--protocol", "legacy", "--seed", "1");

        code.ShouldBe(1);
        stdout.ShouldContain("first empty answer: seed 1");
        stdout.ShouldContain("holdfast sim --scenario oct-2025 --protocol legacy --seed 1");
        LastLine(stdout).ShouldStartWith("schedules=1 violations=");
        LastLine(stdout).ShouldNotBe("schedules=1 violations=0");
    }

    [Theory]
    [InlineData("--scenario", "no-such-scenario")]
    [InlineData("--protocol", "fenced")]
    [InlineData("--scenario", "oct-2025", "--protocol", "sloppy")]
    [InlineData("--scenario", "oct-2025", "--seeds", "2", "--seed", "1")]
    [InlineData("--scenario", "oct-2025", "--seeds", "zero")]
    public void Run_BadArguments_ExitsTwoWithUsage(params string[] args)
    {
        var (code, _, stderr) = Run(args);

        code.ShouldBe(2);
        stderr.ShouldContain("usage: holdfast sim");
    }

    [Theory]
    [InlineData("legacy", "EMPTY ANSWER")]
    [InlineData("fenced", "No invariant violated")]
    public void Run_WithReport_WritesSelfContainedHtmlWithCharts(string protocol, string verdict)
    {
        var path = Path.Combine(Path.GetTempPath(), $"holdfast-sim-{protocol}-{Guid.NewGuid():N}.html");
        try
        {
            Run("--scenario", "oct-2025", "--protocol", protocol, "--report", path);

            var html = File.ReadAllText(path);
            html.ShouldContain(verdict);
            html.ShouldContain("<svg");
            html.ShouldContain("Records answered per endpoint");
            html.ShouldNotContain("<script", Case.Insensitive);
            html.ShouldNotContain("src=", Case.Insensitive);
            html.ShouldNotContain("<link", Case.Insensitive);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].TrimEnd('\r');

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SimulationCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
