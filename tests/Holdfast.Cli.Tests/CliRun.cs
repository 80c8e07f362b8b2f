namespace Holdfast.Cli.Tests;

/// <summary>Runs the command line in-process with captured output and a chosen environment.</summary>
internal static class CliRun
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var console = new CliConsole(stdout, stderr, environment ?? new Dictionary<string, string>());
        var exit = await HoldfastCommand.RunAsync(args, console, TestContext.Current.CancellationToken);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);
}
