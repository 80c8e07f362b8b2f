using System.CommandLine;
using Holdfast.Cli.Output;

namespace Holdfast.Cli;

/// <summary>
/// Runs command bodies with one error policy: a <see cref="CommandException"/> (API unreachable, refused,
/// unauthorized, bad config) becomes <c>holdfast: message</c> on stderr and its exit code; Ctrl-C ends a
/// command quietly with 0 only where the body says so (streams), otherwise the cancellation propagates.
/// </summary>
internal static class CommandActions
{
    /// <summary>Sets an action that talks to the API: the client is built from the global options.</summary>
    public static void SetClientAction(this Command command, CliServices services, Func<ClientInvocation, Task<int>> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(services.Console, async () =>
        {
            using var client = services.Globals.CreateClient(parseResult, services.Console);
            var output = new CommandOutput(services.Console, services.Globals.FormatOf(parseResult));
            return await body(new ClientInvocation(parseResult, client, output, services.Console, cancellationToken));
        }));

    /// <summary>Sets an action that does not talk to the API.</summary>
    public static void SetLocalAction(this Command command, CliServices services, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(services.Console, () => body(parseResult, cancellationToken)));

    private static async Task<int> RunAsync(CliConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CommandException ex)
        {
            await console.Error.WriteLineAsync("holdfast: " + ex.Message);
            return ex.ExitCode;
        }
    }
}
