namespace Holdfast.Cli.Tests;

/// <summary>Exit code and captured streams of one command run.</summary>
internal sealed record CliResult(int Exit, string Out, string Error)
{
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
