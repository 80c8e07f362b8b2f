using System.Globalization;
using System.Net;
using System.Net.Sockets;
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

        return new ConfigSummary(UrlOf(options.Api.Listen), options.DataDirectory);
    }

    /// <summary>
    /// Without <c>--config</c>, the two overrides that would apply to the host's defaults still count:
    /// <c>HOLDFAST_API__LISTEN</c> and <c>HOLDFAST_DATADIRECTORY</c> (names without regard to case, as the host reads them).
    /// </summary>
    public static ConfigSummary? FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var listen = Lookup(environment, "HOLDFAST_API__LISTEN");
        var data = Lookup(environment, "HOLDFAST_DATADIRECTORY");
        if (listen is null && data is null)
        {
            return null;
        }

        if (listen is not null && !IPEndPoint.TryParse(listen, out _))
        {
            throw new CommandException($"HOLDFAST_API__LISTEN must be ADDRESS:PORT such as 127.0.0.1:8053, not '{listen}'", ExitCodes.Usage);
        }

        return new ConfigSummary(listen is null ? GlobalOptions.DefaultServer : UrlOf(IPEndPoint.Parse(listen)), data ?? GlobalOptions.DefaultDataDirectory);
    }

    private static string? Lookup(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.FirstOrDefault(e => string.Equals(e.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } value ? value : null;

    private static string UrlOf(IPEndPoint listen)
    {
        var host = listen.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{listen.Address}]" : listen.Address.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{listen.Port}");
    }
}
