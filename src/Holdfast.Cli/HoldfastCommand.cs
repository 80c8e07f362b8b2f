using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Holdfast.Cli.Commands;
using Holdfast.Simulation;

namespace Holdfast.Cli;

/// <summary>
/// The <c>holdfast</c> command line: System.CommandLine for parsing and help, Spectre.Console for tables.
/// Parse errors are one line each on stderr with exit code 2; every exit code is listed in <c>--help</c>
/// (<see cref="ExitCodes"/>). Adding a command is one line in <see cref="Build"/> (parsed commands) or in
/// <see cref="RawCommands"/> (commands that parse their own arguments).
/// </summary>
internal static class HoldfastCommand
{
    /// <summary>Commands that keep their own argument parsing, usage text and exit codes.</summary>
    internal static IReadOnlyList<RawCommand> RawCommands { get; } =
    [
        new("sim", "Run the deterministic simulation (exit 0 no violation, 1 violation, 2 usage); `holdfast sim --help` lists scenarios",
            (args, console) => Task.FromResult(SimulationCommandLine.Run(args, console.Out, console.Error))),
        new("serve", "Serve master files with no control plane, like nsd or knotd; `holdfast serve --help` for its options",
            (args, console) => ServeCommand.RunAsync(args, console.Out, console.Error)),
    ];

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        if (args.Length > 0 && RawCommands.FirstOrDefault(c => c.Name == args[0]) is { } raw)
        {
            return await raw.RunAsync(args[1..], console);
        }

        var root = Build(console, args);
        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var error in parseResult.Errors)
            {
                await console.Error.WriteLineAsync("holdfast: " + Describe(error));
            }

            var path = string.Join(' ', CommandPath(parseResult.CommandResult.Command, root));
            await console.Error.WriteLineAsync($"Try '{path} --help'.");
            return ExitCodes.Usage;
        }

        // Signals are handled by the commands that run long (up, events --watch), not by the parser's
        // termination handler, which would end `up` before its graceful shutdown finished.
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }

    internal static RootCommand Build(CliConsole console, string[] args)
    {
        var globals = new GlobalOptions();
        var services = new CliServices(globals, console);
        var root = new RootCommand("Holdfast: a DNS control plane that never publishes an empty answer.");
        globals.AddTo(root);
        root.Add(UpCommand.Create(services));
        root.Add(StatusCommand.Create(services));
        root.Add(GetCommand.Create(services));
        root.Add(DescribeCommand.Create(services));
        root.Add(PlanCommand.Create(services));
        root.Add(HistoryCommand.Create(services));
        root.Add(FreezeCommand.Create(services, freeze: true));
        root.Add(FreezeCommand.Create(services, freeze: false));
        root.Add(RollbackCommand.Create(services));
        root.Add(ResumeCommand.Resume(services));
        root.Add(ResumeCommand.Release(services));
        root.Add(EventsCommand.Create(services));
        root.Add(ConfigCommand.Create(services));
        root.Add(StoreCommand.Create(services));
        foreach (var raw in RawCommands)
        {
            root.Add(Listed(raw, console, args));
        }

        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction action)
            {
                help.Action = new HelpWithExitCodes(action);
            }
        }

        return root;
    }

    /// <summary>
    /// A raw command in the tree, so that help lists it. It is reached only when global options come before
    /// its name (<c>holdfast -o json sim …</c>); it then gets every argument after its name, untouched.
    /// </summary>
    private static Command Listed(RawCommand raw, CliConsole console, string[] args)
    {
        var rest = new Argument<string[]>("ARGS") { Description = $"Arguments of `{raw.Name}`", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(raw.Name, raw.Description) { rest };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((_, _) => raw.RunAsync(args[(Array.IndexOf(args, raw.Name) + 1)..], console));
        return command;
    }

    /// <summary>One line naming what is wrong; a missing argument is named (the parser only names the command).</summary>
    private static string Describe(ParseError error)
    {
        if (error.Message.StartsWith("Required argument missing", StringComparison.Ordinal))
        {
            switch (error.SymbolResult)
            {
                case ArgumentResult argument when argument.Parent is CommandResult parent:
                    return $"{parent.Command.Name} needs {argument.Argument.Name}";
                case CommandResult command when command.Command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0) is { } first:
                    return $"{command.Command.Name} needs {first.Name}";
            }
        }

        if (error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal) && error.SymbolResult is CommandResult parentCommand)
        {
            var name = parentCommand.Command is RootCommand ? "holdfast" : parentCommand.Command.Name;
            return $"{name} needs a command: {string.Join(", ", parentCommand.Command.Subcommands.Select(c => c.Name))}";
        }

        // System.CommandLine's own messages may span lines.
        return string.Join(' ', error.Message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static List<string> CommandPath(Command command, RootCommand root)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(c == root ? "holdfast" : c.Name);
        }

        names.Reverse();
        return names;
    }

    /// <summary>The generated help, then the exit codes, which are part of every command's interface.</summary>
    private sealed class HelpWithExitCodes(HelpAction inner) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var result = inner.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes.HelpText);
            return result;
        }
    }
}
