namespace Holdfast.Cli;

/// <summary>
/// A sub-command that parses its own arguments (it predates this parser and keeps its own usage text and
/// exit codes). <see cref="HoldfastCommand"/> hands it everything after its name, untouched.
/// </summary>
internal sealed record RawCommand(string Name, string Description, Func<string[], CliConsole, Task<int>> RunAsync);
