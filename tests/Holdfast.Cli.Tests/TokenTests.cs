namespace Holdfast.Cli.Tests;

/// <summary>Where a client command finds the API token: --data DIR, then HOLDFAST_TOKEN, then the config's or default data directory.</summary>
public sealed class TokenTests : IDisposable
{
    private readonly TempDirectory _flag = new();
    private readonly TempDirectory _config = new();

    public void Dispose()
    {
        _flag.Dispose();
        _config.Dispose();
    }

    [Fact]
    public void FindToken_DataOption_WinsOverEnvironmentAndConfig()
    {
        File.WriteAllText(Path.Combine(_flag.Path, "api-token"), "from-flag\n");
        File.WriteAllText(Path.Combine(_config.Path, "api-token"), "from-config");

        var (token, origin) = GlobalOptions.FindToken(_flag.Path, "from-env", _config.Path);

        token.ShouldBe("from-flag");
        origin.ShouldContain("--data");
    }

    [Fact]
    public void FindToken_Environment_WinsOverConfig()
    {
        File.WriteAllText(Path.Combine(_config.Path, "api-token"), "from-config");

        GlobalOptions.FindToken(null, " from-env ", _config.Path).Token.ShouldBe("from-env");
    }

    [Fact]
    public void FindToken_OnlyConfig_ReadsItsDataDirectory()
    {
        File.WriteAllText(Path.Combine(_config.Path, "api-token"), "from-config");

        GlobalOptions.FindToken(null, null, _config.Path).Token.ShouldBe("from-config");
    }

    [Fact]
    public void FindToken_MissingFile_IsNoTokenAndSaysWhereItLooked()
    {
        var (token, origin) = GlobalOptions.FindToken(_flag.Path, null, null);

        token.ShouldBeNull();
        origin.ShouldContain(Path.Combine(_flag.Path, "api-token"));
        origin.ShouldContain("HOLDFAST_TOKEN");
    }
}
