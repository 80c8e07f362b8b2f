using System.CommandLine;
using Holdfast.Server.Composition;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast up [--config FILE] [--demo]</c>: runs store, planner, enactors, health checks, DNS and the API in
/// this process until SIGINT/SIGTERM (SIGHUP reloads). The host owns it (<see cref="HoldfastUp"/>); without
/// <c>--config</c> it runs the quickstart with demo health listeners.
/// </summary>
internal static class UpCommand
{
    public static Command Create(CliServices services)
    {
        var demo = new Option<bool>("--demo") { Description = "Start a small HTTP health listener on 127.0.0.1 for every http health-check URL in the config (on by default for the quickstart)" };
        var command = new Command("up", $"Start Holdfast: store, planner, enactors, health checks, DNS, HTTP API and metrics; without --config runs {HoldfastUp.QuickstartPath} with --demo") { demo };
        command.SetLocalAction(services, (parseResult, cancellationToken) =>
            HoldfastUp.RunAsync(parseResult.GetValue(services.Globals.Config)?.FullName, parseResult.GetValue(demo), services.Console.Out, services.Console.Error, cancellationToken));
        return command;
    }
}
