using System.Diagnostics;
using System.Text.RegularExpressions;
using Holdfast.Testing;

namespace Holdfast.Simulation.Tests.ModelCheck;

/// <summary>
/// Checks docs/design/control-plane.pml exhaustively with spin (installed by ./test): the legacy protocol of
/// the incident must produce a counterexample, the fenced protocol none. A missing spin fails the test.
/// </summary>
public sealed partial class PromelaModelTests
{
    private static readonly string s_model = Path.Combine(RepositoryRoot.Path, "docs", "design", "control-plane.pml");

    [GeneratedRegex(@"errors: (\d+)")]
    private static partial Regex Errors();

    [Fact]
    public async Task Spin_FencedVariant_FindsNoErrorInTheWholeStateSpace()
    {
        var (errors, output) = await VerifyAsync();
        errors.ShouldBe(0, output);
        output.ShouldNotContain("search depth too small", customMessage: output);
    }

    [Fact]
    public async Task Spin_LegacyVariant_FindsACounterexample()
    {
        var (errors, output) = await VerifyAsync("-DLEGACY");
        errors.ShouldBeGreaterThan(0, output);
        output.ShouldContain("assertion violated", customMessage: output);
    }

    [Fact]
    public async Task Spin_LegacyVariantCheckingOnlyNeverEmpty_ReachesTheEmptyAnswer()
    {
        var (errors, output) = await VerifyAsync("-DLEGACY", "-DONLY_EMPTY");
        errors.ShouldBeGreaterThan(0, output);
        output.ShouldContain("assertion violated ((applied==0)||live)", customMessage: output);
    }

    [Fact]
    public async Task Spin_FencedVariantCheckingOnlyNeverEmpty_FindsNoError()
    {
        var (errors, output) = await VerifyAsync("-DONLY_EMPTY");
        errors.ShouldBe(0, output);
    }

    private static async Task<(int Errors, string Output)> VerifyAsync(params string[] defines)
    {
        var dir = Directory.CreateTempSubdirectory("holdfast-pml-");
        try
        {
            File.Copy(s_model, Path.Combine(dir.FullName, "model.pml"));
            await RunAsync(dir.FullName, "spin", [.. defines, "-a", "model.pml"]);
            await RunAsync(dir.FullName, "gcc", ["-O2", "-DCOLLAPSE", "-DVECTORSZ=2048", "-o", "pan", "pan.c"]);
            var output = await RunAsync(dir.FullName, Path.Combine(dir.FullName, "pan"), ["-m100000", "-a"]);
            var match = Errors().Match(output);
            match.Success.ShouldBeTrue(output);
            return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(string workingDirectory, string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var output = await stdout + await stderr;
        // pan exits non-zero when it reports errors; that outcome is read from its output, not the exit code.
        if (process.ExitCode != 0 && !file.EndsWith("pan", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {output}");
        }

        return output;
    }
}
