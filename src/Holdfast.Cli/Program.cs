using Holdfast.Cli;

return await HoldfastCommand.RunAsync(args, CliConsole.System);
