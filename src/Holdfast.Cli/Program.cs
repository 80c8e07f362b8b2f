using Holdfast.Cli;

return await HoldfastCommand.RunAsync(args, Console.Out, Console.Error);
