using Holdfast.Server.Configuration;

namespace Holdfast.Server.Composition;

/// <summary>The report of <c>holdfast config validate FILE</c> and <c>holdfast up</c>: every error on its own line (location, key, what is expected); exit 0 valid, 1 invalid.</summary>
public static class ConfigValidationReport
{
    public static async Task<int> ValidateAsync(string path, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var result = ConfigValidator.ValidateFile(path, ConfigValidator.ProcessEnvironment());
        if (result.Options is { } options)
        {
            await stdout.WriteLineAsync($"{path}: valid ({options.Zones.Length} zone(s), {options.Endpoints.Length} endpoint(s), {options.Endpoints.Sum(e => e.Targets.Length)} target(s), {options.Enactors.Length} enactor(s))");
            return 0;
        }

        await WriteErrorsAsync(result, stderr);
        await stderr.WriteLineAsync($"{path}: invalid ({result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")})");
        return 1;
    }

    internal static async Task WriteErrorsAsync(ConfigResult result, TextWriter stderr)
    {
        foreach (var error in result.Errors)
        {
            await stderr.WriteLineAsync(error.ToString());
        }
    }
}
