using System.Diagnostics;

namespace Holdfast.Cli.Tests.EndToEnd;

/// <summary>
/// The built <c>holdfast.dll</c> (src/Holdfast.Cli output for this test's configuration) run as a real child
/// process with <c>dotnet</c>, with <c>HOLDFAST_…</c> variables of this process removed so that only what a
/// test passes counts.
/// </summary>
internal static class BuiltCli
{
    public static string DllPath { get; } = Find();

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("HOLDFAST_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    /// <summary>Runs one command to completion (bounded by <paramref name="timeout"/>; killed by PID after it).</summary>
    public static async Task<CliResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        using var deadline = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"holdfast {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
        }
    }

    private static string Find()
    {
        // tests/Holdfast.Cli.Tests/bin/<configuration>/<framework>/ -> src/Holdfast.Cli/bin/<configuration>/<framework>/holdfast.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryRoot.Path, "src", "Holdfast.Cli", "bin", output.Parent!.Name, output.Name, "holdfast.dll");
        File.Exists(path).ShouldBeTrue($"the CLI is not built at {path}");
        return path;
    }
}
