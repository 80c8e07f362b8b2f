namespace Holdfast.Cli;

/// <summary>
/// A command that cannot go on, with a one-line message naming what is wrong and the exit code to end with.
/// The command runner prints <c>holdfast: message</c> to stderr.
/// </summary>
internal class CommandException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
