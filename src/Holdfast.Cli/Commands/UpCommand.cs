using System.CommandLine;

namespace Holdfast.Cli.Commands;

/// <summary><c>holdfast up</c>: runs the control plane, DNS and the API in this process until SIGINT/SIGTERM.</summary>
internal static class UpCommand
{
    public static Command Create(CliServices services)
    {
        var dns = new Option<string?>("--dns") { Description = "DNS listen address (loopback) [default: 127.0.0.1:5353]", HelpName = "ADDR:PORT" };
        var command = new Command("up", "Start Holdfast: store, planner, enactors, health checks, DNS, HTTP API and metrics") { dns };
        command.SetLocalAction(services, (parseResult, _) =>
        {
            var args = new List<string>();
            if (parseResult.GetValue(services.Globals.Data) is { } data)
            {
                args.AddRange(["--data", data.FullName]);
            }

            if (parseResult.GetValue(dns) is { } listen)
            {
                args.AddRange(["--dns", listen]);
            }

            return EmbeddedControlPlane.RunAsync([.. args], services.Console.Out, services.Console.Error);
        });
        return command;
    }
}
