using Holdfast.Server.Composition;
using Holdfast.Server.Tests.Configuration;

namespace Holdfast.Server.Tests.Composition;

public sealed class CommandTests
{
    [Fact]
    public async Task ConfigValidate_ValidFile_Exit0WithASummary()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "holdfast.yaml");
        await File.WriteAllTextAsync(file, ConfigValidatorTests.Valid);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await ConfigValidationReport.ValidateAsync(file, stdout, stderr);

        exit.ShouldBe(0);
        stdout.ToString().ShouldBe($"{file}: valid (1 zone(s), 1 endpoint(s), 2 target(s), 2 enactor(s)){Environment.NewLine}");
        stderr.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task ConfigValidate_InvalidFile_Exit1WithOneLinePerError()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "holdfast.yaml");
        await File.WriteAllTextAsync(file, ConfigValidatorTests.Valid.Replace("ttl: 30", "tll: 30", StringComparison.Ordinal).Replace("127.0.0.12", "localhost", StringComparison.Ordinal));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await ConfigValidationReport.ValidateAsync(file, stdout, stderr);

        exit.ShouldBe(1);
        var lines = stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3);
        lines.ShouldContain(l => l.StartsWith($"{file}:18: endpoints[0].tll: unknown key; did you mean 'ttl'?", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith($"{file}:22: endpoints[0].targets[1].address: expected an IPv4 or IPv6 address", StringComparison.Ordinal));
        lines[^1].ShouldBe($"{file}: invalid (2 errors)");
    }

    [Fact]
    public async Task Up_InvalidConfig_Exit1AndNothingStarts()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data");
        var file = Path.Combine(dir.Path, "holdfast.yaml");
        await File.WriteAllTextAsync(file, ConfigValidatorTests.Valid.Replace("/tmp/holdfast-config-test", data, StringComparison.Ordinal).Replace("az: az2, capacity", "az: az5, capacity", StringComparison.Ordinal));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await HoldfastUp.RunAsync(file, demo: false, stdout, stderr);

        exit.ShouldBe(1);
        stderr.ToString().ShouldContain("endpoints[0].targets[1].az: availability zone 'az5' has no enactor");
        stderr.ToString().ShouldContain("refused (1 error); nothing started");
        Directory.Exists(data).ShouldBeFalse();
    }
}
