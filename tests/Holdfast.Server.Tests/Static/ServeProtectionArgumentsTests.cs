using System.Net;
using Holdfast.Server.Static;

namespace Holdfast.Server.Tests.Static;

/// <summary>The <c>holdfast serve</c> flags named after the host's <c>dns.nsid</c>, <c>dns.cookieSecret</c> and <c>dns.rateLimit</c> keys.</summary>
public sealed class ServeProtectionArgumentsTests
{
    private const string Secret = "000102030405060708090a0b0c0d0e0f";

    [Fact]
    public void TryParse_NoProtectionFlag_RateLimitsWithLoopbackExemptAsTheHost()
    {
        StaticZoneArguments.TryParse(["--zone", "a.=a"], out var options, out var error).ShouldBeTrue(error);
        var defaults = new Holdfast.Dns.Transport.RateLimitOptions();
        var rateLimit = options!.RateLimit.ShouldNotBeNull();
        (rateLimit.ResponsesPerSecond, rateLimit.Slip, rateLimit.Ipv4PrefixLength, rateLimit.Ipv6PrefixLength)
            .ShouldBe((defaults.ResponsesPerSecond, defaults.Slip, defaults.Ipv4PrefixLength, defaults.Ipv6PrefixLength));
        rateLimit.Exempt.ShouldBe([IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]);
        options.Nsid.ShouldBeNull();
        options.CookieSecret.ShouldBeNull();
    }

    [Fact]
    public void TryParse_EveryProtectionFlag_KeepsEveryValue()
    {
        StaticZoneArguments.TryParse(
            ["--zone", "a.=a", "--nsid", "ns-a.holdfast", "--cookie-secret", Secret, "--rate-limit", "on",
             "--rate-limit-responses-per-second", "5", "--rate-limit-slip", "0", "--rate-limit-ipv4-prefix-length", "32",
             "--rate-limit-ipv6-prefix-length", "64", "--rate-limit-exempt", "10.0.0.0/8", "--rate-limit-exempt", "::1/128"],
            out var options, out var error).ShouldBeTrue(error);

        options!.Nsid.ShouldBe("ns-a.holdfast"u8.ToArray());
        options.CookieSecret.ShouldBe(Convert.FromHexString(Secret));
        var rateLimit = options.RateLimit!;
        (rateLimit.ResponsesPerSecond, rateLimit.Slip, rateLimit.Ipv4PrefixLength, rateLimit.Ipv6PrefixLength).ShouldBe((5, 0, 32, 64));
        rateLimit.Exempt.ShouldBe([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("::1/128")]);
    }

    [Fact]
    public void TryParse_RateLimitOff_ServesWithoutALimiter()
    {
        StaticZoneArguments.TryParse(["--zone", "a.=a", "--rate-limit", "off"], out var options, out var error).ShouldBeTrue(error);
        options!.RateLimit.ShouldBeNull();
    }

    [Fact]
    public void TryParse_ExemptNone_LimitsEveryClient()
    {
        StaticZoneArguments.TryParse(["--zone", "a.=a", "--rate-limit-exempt", "none"], out var options, out var error).ShouldBeTrue(error);
        options!.RateLimit!.Exempt.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--nsid needs a value", new[] { "--zone", "a.=a", "--nsid" })]
    [InlineData("--nsid '': expected 1 to 128 ASCII characters", new[] { "--zone", "a.=a", "--nsid", "" })]
    [InlineData("--nsid 'ns-ä': expected 1 to 128 ASCII characters", new[] { "--zone", "a.=a", "--nsid", "ns-ä" })]
    [InlineData("--cookie-secret: expected 32 hex digits", new[] { "--zone", "a.=a", "--cookie-secret", "0011" })]
    [InlineData("--cookie-secret: expected 32 hex digits", new[] { "--zone", "a.=a", "--cookie-secret", "zz0102030405060708090a0b0c0d0e0f" })]
    [InlineData("--rate-limit 'yes': expected on or off", new[] { "--zone", "a.=a", "--rate-limit", "yes" })]
    [InlineData("--rate-limit-slip 'two': expected a whole number", new[] { "--zone", "a.=a", "--rate-limit-slip", "two" })]
    [InlineData("--rate-limit-slip 11: expected 0 to 10", new[] { "--zone", "a.=a", "--rate-limit-slip", "11" })]
    [InlineData("--rate-limit-responses-per-second 0: expected 1 to 1000000", new[] { "--zone", "a.=a", "--rate-limit-responses-per-second", "0" })]
    [InlineData("--rate-limit-ipv4-prefix-length 33: expected 8 to 32", new[] { "--zone", "a.=a", "--rate-limit-ipv4-prefix-length", "33" })]
    [InlineData("--rate-limit-ipv6-prefix-length 8: expected 16 to 128", new[] { "--zone", "a.=a", "--rate-limit-ipv6-prefix-length", "8" })]
    [InlineData("--rate-limit-exempt '10.0.0.0/33': expected ADDRESS/PREFIX", new[] { "--zone", "a.=a", "--rate-limit-exempt", "10.0.0.0/33" })]
    [InlineData("--rate-limit-slip is given with --rate-limit off", new[] { "--zone", "a.=a", "--rate-limit-slip", "1", "--rate-limit", "off" })]
    public void TryParse_BadProtectionValue_IsRefusedNamingTheFlag(string expected, string[] args)
    {
        StaticZoneArguments.TryParse(args, out var options, out var error).ShouldBeFalse();
        options.ShouldBeNull();
        error.ShouldStartWith(expected);
    }

    [Fact]
    public void TryParse_BadCookieSecret_DoesNotRepeatTheSecret()
    {
        const string nearlySecret = "000102030405060708090a0b0c0d0e0f00";
        StaticZoneArguments.TryParse(["--zone", "a.=a", "--cookie-secret", nearlySecret], out _, out var error).ShouldBeFalse();
        error.ShouldNotContain(nearlySecret);
    }

    [Fact]
    public void Usage_NamesEveryProtectionFlag()
    {
        foreach (var flag in new[] { "--nsid", "--cookie-secret", "--rate-limit on|off", "--rate-limit-responses-per-second", "--rate-limit-slip",
                     "--rate-limit-ipv4-prefix-length", "--rate-limit-ipv6-prefix-length", "--rate-limit-exempt" })
        {
            StaticZoneArguments.Usage.ShouldContain(flag);
        }
    }
}
