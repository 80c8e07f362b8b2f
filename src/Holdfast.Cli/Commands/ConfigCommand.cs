using System.CommandLine;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast config validate FILE</c>: the host's own validation (<see cref="Holdfast.Server.Composition.ConfigCommand"/>,
/// with the process's <c>HOLDFAST_…</c> overrides applied), every error on its own line as
/// <c>file:line: key: what is expected</c>. Exit 0 valid, 1 invalid.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create(CliServices services)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "holdfast.yaml to check" };
        var validate = new Command("validate", "Check a holdfast.yaml as `holdfast up` would; exit 0 valid, 1 invalid") { file };
        validate.SetLocalAction(services, (parseResult, _) =>
            Holdfast.Server.Composition.ConfigCommand.ValidateAsync(parseResult.GetValue(file)!.FullName, services.Console.Out, services.Console.Error));
        return new Command("config", "Work with holdfast.yaml") { validate };
    }
}
