using System.CommandLine;
using System.Text.Json;
using Holdfast.Cli.Api;
using Holdfast.Server.Configuration;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast config validate FILE</c>: the host's own validation (with <c>HOLDFAST_…</c> overrides applied).
/// As a table: the host's lines (<see cref="Holdfast.Server.Composition.ConfigValidationReport"/>), every error as
/// <c>file:line: key: what is expected</c>. As JSON: <c>{ valid, file, errors: [{ path, location, message }] }</c>.
/// Exit 0 valid, 1 invalid.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create(CliServices services)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "holdfast.yaml to check" };
        var validate = new Command("validate", "Check a holdfast.yaml as `holdfast up` would; exit 0 valid, 1 invalid") { file };
        validate.SetLocalAction(services, async (parseResult, _) =>
        {
            var path = parseResult.GetValue(file)!.FullName;
            if (services.Globals.FormatOf(parseResult) == Output.OutputFormat.Table)
            {
                return await Holdfast.Server.Composition.ConfigValidationReport.ValidateAsync(path, services.Console.Out, services.Console.Error);
            }

            var result = ConfigValidator.ValidateFile(path, services.Console.Environment);
            var document = new { valid = result.IsValid, file = path, errors = result.Errors.Select(e => new { path = e.Path, location = e.Location, message = e.Message }) };
            await services.Console.Out.WriteLineAsync(JsonSerializer.Serialize(document, HoldfastApiClient.Json));
            return result.IsValid ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return new Command("config", "Work with holdfast.yaml") { validate };
    }
}
