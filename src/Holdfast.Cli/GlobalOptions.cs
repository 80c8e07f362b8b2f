using System.CommandLine;
using Holdfast.Cli.Api;
using Holdfast.Cli.Output;

namespace Holdfast.Cli;

/// <summary>
/// Options every command accepts (<c>--server</c>, <c>--config</c>, <c>--data</c>, <c>-o</c>), and how a
/// client command turns them into an API address and a token.
/// </summary>
internal sealed class GlobalOptions
{
    /// <summary>Where <c>holdfast up</c> listens unless configured otherwise (api.md).</summary>
    public const string DefaultServer = "http://127.0.0.1:8053";

    /// <summary>The host's default data directory, relative to the working directory.</summary>
    public static readonly string DefaultDataDirectory = Path.Combine(".holdfast", "data");

    /// <summary>File name of the API token inside the data directory (created by the host with mode 0600).</summary>
    public const string TokenFileName = "api-token";

    public const string TokenVariable = "HOLDFAST_TOKEN";

    public GlobalOptions()
    {
        Server.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !TryParseServer(value, out _))
            {
                result.AddError($"--server must be an absolute http:// or https:// URL such as {DefaultServer}, not '{value}'");
            }
        });
        Output.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not ("table" or "json") and var value)
            {
                result.AddError($"-o/--output must be table or json, not '{value}'");
            }
        });
    }

    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"Base URL of the Holdfast API [default: api.listen of --config or $HOLDFAST_API__LISTEN, else {DefaultServer}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "holdfast.yaml: `up` runs it; client commands take the API address and data directory from it",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<DirectoryInfo?> Data { get; } = new("--data")
    {
        Description = $"Data directory whose {TokenFileName} client commands send for changes [default: dataDirectory of --config or $HOLDFAST_DATADIRECTORY, else {DefaultDataDirectory}; $HOLDFAST_TOKEN is used before those defaults]",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Output format of client commands",
        HelpName = "table|json",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Add(Server);
        root.Add(Config);
        root.Add(Data);
        root.Add(Output);
    }

    public OutputFormat FormatOf(ParseResult parseResult) =>
        parseResult.GetValue(Output) == "json" ? OutputFormat.Json : OutputFormat.Table;

    /// <summary>
    /// The API client for this invocation. Server: <c>--server</c>, else <c>api.listen</c> of <c>--config</c>,
    /// else <see cref="DefaultServer"/>. Token: <c>--data DIR</c>'s token file, else <c>HOLDFAST_TOKEN</c>, else
    /// the token file in the config's (or the default) data directory. A missing token is not an error here:
    /// reads need none, and a mutating call reports where it looked.
    /// </summary>
    public HoldfastApiClient CreateClient(ParseResult parseResult, CliConsole console)
    {
        var config = ConfigSummary.Read(parseResult.GetValue(Config), console.Environment) ?? ConfigSummary.FromEnvironment(console.Environment);
        var serverText = parseResult.GetValue(Server) ?? config?.ApiUrl ?? DefaultServer;
        if (!TryParseServer(serverText, out var server))
        {
            throw new CommandException($"the API address '{serverText}' is not a valid URL", ExitCodes.Usage);
        }

        var (token, origin) = FindToken(parseResult.GetValue(Data)?.FullName, console.Environment.GetValueOrDefault(TokenVariable), config?.DataDirectory);
        return new HoldfastApiClient(server, token, origin);
    }

    internal static (string? Token, string Origin) FindToken(string? dataOption, string? environment, string? configDataDirectory)
    {
        if (dataOption is not null)
        {
            return ReadTokenFile(dataOption, "--data");
        }

        if (!string.IsNullOrWhiteSpace(environment))
        {
            return (environment.Trim(), "from " + TokenVariable);
        }

        return ReadTokenFile(configDataDirectory ?? DefaultDataDirectory, configDataDirectory is null ? "the default data directory" : "the configured data directory");
    }

    private static (string? Token, string Origin) ReadTokenFile(string directory, string how)
    {
        var path = Path.GetFullPath(Path.Combine(directory, TokenFileName));
        try
        {
            var token = File.ReadAllText(path).Trim();
            return (token.Length == 0 ? null : token, token.Length == 0 ? $"file {path} ({how}) is empty" : $"from {path} ({how})");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"not found: no file {path} ({how}); set {TokenVariable} or --data DIR");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"not readable: {path} ({how}): {ex.Message}; set {TokenVariable} or --data DIR");
        }
    }

    private static bool TryParseServer(string text, out Uri server)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" && string.IsNullOrEmpty(parsed.Query))
        {
            server = parsed;
            return true;
        }

        server = null!;
        return false;
    }
}
