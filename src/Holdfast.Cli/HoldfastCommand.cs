using Holdfast.Server.Composition;
using Holdfast.Simulation;

namespace Holdfast.Cli;

/// <summary>The <c>holdfast</c> command: dispatches to sub-commands. Exit codes: 0 ok, 1 failure, 2 usage.</summary>
internal static class HoldfastCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        switch (args[0])
        {
            case "up":
                return await UpAsync(args[1..], stdout, stderr);
            case "config" when args.Length == 3 && args[1] == "validate":
                return await ConfigCommand.ValidateAsync(args[2], stdout, stderr);
            case "serve":
                return await ServeCommand.RunAsync(args[1..], stdout, stderr);
            case "sim":
                return SimulationCommandLine.Run(args[1..], stdout, stderr);
            default:
                await stderr.WriteLineAsync($"holdfast: unknown command '{args[0]}'\n\n{Usage}");
                return 2;
        }
    }

    private static async Task<int> UpAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? config = null;
        var demo = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                config = args[++i];
            }
            else if (args[i] == "--demo")
            {
                demo = true;
            }
            else
            {
                await stderr.WriteLineAsync($"holdfast up: invalid option '{args[i]}' (expected --config FILE and/or --demo)");
                return 2;
            }
        }

        return await HoldfastUp.RunAsync(config, demo, stdout, stderr);
    }

    private const string Usage = """
        usage: holdfast <command> [options]

        commands:
          up [--config FILE] [--demo]
                             start Holdfast (store, planner, enactors, health checks, DNS, HTTP API);
                             without --config: examples/quickstart.yaml with demo health listeners
          config validate FILE
                             check a configuration file (exit 0 valid, 1 invalid)
          serve --zone ORIGIN=FILE [--zone ...] [--listen ADDR:PORT] [--allow-transfer ADDR/PREFIX] [--notify ADDR:PORT]
                             serve master files with no control plane, like nsd or knotd
                             (SIGHUP reloads the files; default listen 127.0.0.1:5353)
          sim --scenario NAME [--protocol fenced|legacy] [--seeds N | --seed S] [--report out.html]
                             run the deterministic simulation (exit 0 no violation, 1 violation, 2 usage)

        exit codes: 0 success, 1 failure, 2 usage error
        """;
}
