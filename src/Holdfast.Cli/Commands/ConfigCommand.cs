using System.CommandLine;
using Holdfast.Server.Configuration;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast config validate FILE</c>: the host's own validation (with <c>HOLDFAST_…</c> overrides applied),
/// every error on its own line as <c>file:line: key: what is expected</c>. Exit 0 valid, 1 invalid.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create(CliServices services)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "holdfast.yaml to check" };
        var validate = new Command("validate", "Check a holdfast.yaml as `holdfast up` would; exit 0 valid, 1 invalid") { file };
        validate.SetLocalAction(services, (parseResult, _) =>
        {
            var path = parseResult.GetValue(file)!.FullName;
            var result = ConfigValidator.ValidateFile(path, services.Console.Environment);
            if (result.IsValid)
            {
                services.Console.Out.WriteLine($"{path}: valid");
                return Task.FromResult(ExitCodes.Ok);
            }

            foreach (var error in result.Errors)
            {
                services.Console.Error.WriteLine(error.ToString());
            }

            services.Console.Error.WriteLine($"{path}: {result.Errors.Count} error{(result.Errors.Count == 1 ? string.Empty : "s")}; nothing would start");
            return Task.FromResult(ExitCodes.Failure);
        });
        var config = new Command("config", "Work with holdfast.yaml") { validate };
        return config;
    }
}
