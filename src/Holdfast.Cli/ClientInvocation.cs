using System.CommandLine;
using Holdfast.Cli.Api;
using Holdfast.Cli.Output;

namespace Holdfast.Cli;

/// <summary>One run of a client command: its parsed line, the API client, where output goes, and Ctrl-C.</summary>
internal sealed record ClientInvocation(ParseResult Parse, HoldfastApiClient Client, CommandOutput Output, CliConsole Console, CancellationToken Cancellation)
{
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);
}
