using Holdfast.Server.Configuration;

namespace Holdfast.Cli;

/// <summary>
/// What a client command takes from <c>--config</c>: the API address and the data directory (for the token),
/// read through the host's own validator so that both agree on the file and its environment overrides.
/// </summary>
internal sealed record ConfigSummary(string ApiUrl, string DataDirectory)
{
    public static ConfigSummary? Read(FileInfo? file, IReadOnlyDictionary<string, string> environment)
    {
        if (file is null)
        {
            return null;
        }

        var result = ConfigValidator.ValidateFile(file.FullName, environment);
        if (result.Options is not { } options)
        {
            var first = result.Errors.Count > 0 ? result.Errors[0].ToString() : "invalid";
            var more = result.Errors.Count > 1 ? $" (and {result.Errors.Count - 1} more; see `holdfast config validate {file.FullName}`)" : string.Empty;
            throw new CommandException($"--config {file.FullName} is invalid: {first}{more}", ExitCodes.Failure);
        }

        var listen = options.Api.Listen;
        var host = listen.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{listen.Address}]" : listen.Address.ToString();
        return new ConfigSummary($"http://{host}:{listen.Port}", options.DataDirectory);
    }
}
