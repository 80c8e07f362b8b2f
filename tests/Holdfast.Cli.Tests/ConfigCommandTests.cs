namespace Holdfast.Cli.Tests;

/// <summary>
/// <c>holdfast config validate</c> uses the host's validator (every error with file:line and key), and client
/// commands take the API address from <c>--config</c>.
/// </summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Validate_Quickstart_ExitsZero()
    {
        var result = await CliRun.RunAsync("config", "validate", Quickstart());

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("valid");
    }

    [Fact]
    public async Task Validate_BrokenFile_ExitsOneWithEachErrorNamingKeyAndLine()
    {
        var path = Write("broken.yaml", File.ReadAllText(Quickstart())
            .Replace("listen: 127.0.0.1:8053", "listen: not-an-address", StringComparison.Ordinal)
            .Replace("ttl: 30", "ttl: thirty", StringComparison.Ordinal));

        var result = await CliRun.RunAsync("config", "validate", path);

        result.Exit.ShouldBe(1, result.ToString());
        result.Out.ShouldBeEmpty();
        result.Error.ShouldMatch(@"broken\.yaml:\d+: api\.listen: ");
        result.Error.ShouldMatch(@"broken\.yaml:\d+: endpoints\[0\]\.ttl: ");
        result.Error.ShouldMatch(@"broken\.yaml: invalid \(\d+ errors\)");
    }

    [Fact]
    public async Task Validate_Json_ListsEachErrorWithPathAndLocation()
    {
        var path = Write("broken.yaml", File.ReadAllText(Quickstart()).Replace("listen: 127.0.0.1:8053", "listen: not-an-address", StringComparison.Ordinal));

        var result = await CliRun.RunAsync("config", "validate", path, "-o", "json");

        result.Exit.ShouldBe(1, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var error = json.RootElement.GetProperty("errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("path").GetString().ShouldBe("api.listen");
        error.GetProperty("location").GetString()!.ShouldMatch(@"broken\.yaml:\d+$");
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsOne()
    {
        var result = await CliRun.RunAsync("config", "validate", Path.Combine(_directory.Path, "absent.yaml"));

        result.Exit.ShouldBe(1, result.ToString());
        result.Error.ShouldContain("absent.yaml");
    }

    [Fact]
    public async Task ClientCommand_Config_TakesTheApiAddressFromIt()
    {
        var port = UsageTests.ClosedPort();
        var path = Write("holdfast.yaml", File.ReadAllText(Quickstart()).Replace("listen: 127.0.0.1:8053", $"listen: 127.0.0.1:{port}", StringComparison.Ordinal));

        var result = await CliRun.RunAsync("status", "--config", path);

        result.Exit.ShouldBe(3, result.ToString());
        result.Error.ShouldContain($"http://127.0.0.1:{port}/");
    }

    [Fact]
    public async Task ClientCommand_NoConfig_HonoursTheApiListenOverride()
    {
        var port = UsageTests.ClosedPort();
        var environment = new Dictionary<string, string> { ["holdfast_api__listen"] = $"127.0.0.1:{port}" };

        var result = await CliRun.RunAsync(environment, "status");

        result.Exit.ShouldBe(3, result.ToString());
        result.Error.ShouldContain($"http://127.0.0.1:{port}/");
    }

    [Fact]
    public async Task ClientCommand_ServerOption_WinsOverConfigAndEnvironment()
    {
        var port = UsageTests.ClosedPort();
        var environment = new Dictionary<string, string> { ["HOLDFAST_API__LISTEN"] = "127.0.0.1:1" };

        var result = await CliRun.RunAsync(environment, "get", "endpoints", "--config", Quickstart(), "--server", $"http://127.0.0.1:{port}");

        result.Exit.ShouldBe(3, result.ToString());
        result.Error.ShouldContain($"http://127.0.0.1:{port}/");
    }

    [Fact]
    public async Task ClientCommand_InvalidConfig_ExitsOneNamingTheFirstError()
    {
        var path = Write("bad.yaml", "api:\n  listen: nowhere\n");

        var result = await CliRun.RunAsync("status", "--config", path);

        result.Exit.ShouldBe(1, result.ToString());
        result.Error.ShouldContain("bad.yaml is invalid");
        result.Error.ShouldContain("api.listen");
    }

    internal static string Quickstart() => Path.Combine(RepositoryRoot.Path, "examples", "quickstart.yaml");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.Path, name);
        File.WriteAllText(path, text);
        return path;
    }
}
