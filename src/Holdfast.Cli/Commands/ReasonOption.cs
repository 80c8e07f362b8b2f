using System.CommandLine;
using System.CommandLine.Parsing;

namespace Holdfast.Cli.Commands;

/// <summary>The <c>--reason R</c> every changing command requires: it goes into the audit log, so it may not be blank.</summary>
internal static class ReasonOption
{
    public static Option<string> Create() => new("--reason") { Description = "Why (audited)", HelpName = "R", Required = true };

    public static void Validate(CommandResult result, Option<string> reason)
    {
        if (result.GetValue(reason) is { } r && string.IsNullOrWhiteSpace(r))
        {
            result.AddError("--reason must not be empty");
        }
    }
}
