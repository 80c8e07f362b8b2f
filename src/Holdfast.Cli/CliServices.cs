namespace Holdfast.Cli;

/// <summary>What every command's factory gets: the global options and the console it writes to.</summary>
internal sealed record CliServices(GlobalOptions Globals, CliConsole Console);
