using Holdfast.Server.Configuration;

namespace Holdfast.Server.Tests.Configuration;

/// <summary>
/// dns.tsig is parsed as NAME:BASE64SECRET. zones[].zoneFiles are read at validation: a file that does not parse, an SOA, or an A/AAAA/CNAME at a
/// configured endpoint name refuses the configuration with <c>file:line</c>; other types at an endpoint name pass.
/// </summary>
public sealed class ZoneFileValidationTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("$TTL 60\nwww A 127.0.0.300\n", 2, "A data: '127.0.0.300' is not an IPv4 address")]
    [InlineData("$TTL 60\n@ SOA ns1 hostmaster 1 3600 600 604800 60\n", 2, "SOA: the SOA of a zone served by holdfast up comes from zones[].soa")]
    [InlineData("$TTL 60\nx TXT ok\napi A 127.0.0.40\n", 3, "api.svc.example. is an endpoint: its addresses come from the applied plans, so a static A record there is not allowed")]
    [InlineData("$TTL 60\napi AAAA ::1\n", 2, "a static AAAA record there is not allowed")]
    [InlineData("$TTL 60\napi CNAME www\n", 2, "a static CNAME record there is not allowed")]
    [InlineData("$TTL 60\nwww A 127.0.0.1\nwww CNAME other\n", 3, "www.svc.example. has a CNAME and other data")]
    [InlineData("$TTL 60\n@ CNAME other.example.\n", 2, "a CNAME at the apex svc.example.")]
    public void Validate_BadZoneFile_NamesFileAndLine(string text, int line, string message)
    {
        var file = Path.Combine(_folder.Path, "svc.zone");
        File.WriteAllText(file, text);

        var result = ConfigValidator.Validate(WithZoneFile(file), "holdfast.yaml");

        var error = result.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("zones[0].zoneFiles");
        error.Location.ShouldBe("holdfast.yaml:10", "the line of the zoneFiles key");
        error.Message.ShouldStartWith($"{file}:{line}: ");
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Validate_OtherTypesAtAnEndpointName_AreAccepted()
    {
        var file = Path.Combine(_folder.Path, "svc.zone");
        File.WriteAllText(file, "$TTL 60\napi TXT \"about api\"\n_http._tcp.api SRV 0 0 80 api\n@ NS ns2\n");

        var result = ConfigValidator.Validate(WithZoneFile(file), "holdfast.yaml");

        result.Errors.ShouldBeEmpty();
        result.Options!.Zones[0].ZoneFiles.ShouldBe([file]);
    }

    [Theory]
    [InlineData("xfr-key.", "is not NAME:BASE64-SECRET")]
    [InlineData("xfr-key.:AAAA", "the secret is 3 octets, at least 16 are needed")]
    [InlineData("xfr-key.:not base64!", "the secret is not base64")]
    public void Validate_BadDnsTsig_NamesTheKeyAndTheForm(string value, string message)
    {
        var text = ConfigValidatorTests.Valid.Replace("  listen: [127.0.0.1:5353]\n", $"  listen: [127.0.0.1:5353]\n  tsig: \"{value}\"\n", StringComparison.Ordinal);

        var error = ConfigValidator.Validate(text, "holdfast.yaml").Errors.ShouldHaveSingleItem();

        error.Path.ShouldBe("dns.tsig");
        error.Location.ShouldBe("holdfast.yaml:4");
        error.Message.ShouldContain("expected NAME:BASE64SECRET");
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Validate_DnsTsig_IsBound()
    {
        var secret = Convert.ToBase64String(new byte[32]);
        var text = ConfigValidatorTests.Valid.Replace("  listen: [127.0.0.1:5353]\n", $"  listen: [127.0.0.1:5353]\n  tsig: \"xfr-key.:{secret}\"\n", StringComparison.Ordinal);

        var options = ConfigValidator.Validate(text, "holdfast.yaml").Options.ShouldNotBeNull();

        options.Dns.Tsig!.NameText.ShouldBe("xfr-key.");
        options.Dns.Tsig.Secret.ShouldBe(new byte[32]);
    }

    private static string WithZoneFile(string file) =>
        ConfigValidatorTests.Valid.Replace("    ns: [ns1.svc.example.]\n", $"    ns: [ns1.svc.example.]\n    zoneFiles: [{file}]\n", StringComparison.Ordinal);
}
