using System.Globalization;
using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;

namespace Holdfast.Server.Static;

/// <summary>
/// The flags of <c>holdfast serve</c> for the open internet, each named after the host's key (docs/operations.md) so
/// that operators read the same words: <c>--nsid</c> (<c>dns.nsid</c>), <c>--cookie-secret</c>
/// (<c>dns.cookieSecret</c>) and <c>--rate-limit…</c> (<c>dns.rateLimit.…</c>). Defaults are the host's: rate
/// limiting on with loopback exempt, cookies answered with a secret drawn at start, no NSID. Collected flag by flag,
/// then checked as a whole by <see cref="TryApply"/>.
/// </summary>
internal sealed class ServeProtectionArguments
{
    public const string Usage = """
        For the open internet (the same words as the host's dns.* keys):
          --nsid TEXT                 identifier answered to NSID queries (RFC 5001, dig +nsid); 1-128 ASCII; default none
          --cookie-secret HEX         32 hex digits: the SipHash-2-4 key of DNS server cookies (RFC 9018); give every
                                      server of a name the same one; default a secret drawn at start
          --rate-limit on|off         response rate limiting of UDP answers; default on
          --rate-limit-responses-per-second N  per client prefix, response kind and zone before limiting; default 20
          --rate-limit-slip N         every N-th limited response is sent truncated (TC=1), the rest dropped; 0 drops all; default 2
          --rate-limit-ipv4-prefix-length N / --rate-limit-ipv6-prefix-length N  how clients are grouped; default 24 / 56
          --rate-limit-exempt ADDR/PREFIX  clients never limited (repeatable; replaces the default 127.0.0.0/8 and ::1/128;
                                      'none' for no exemption)
          A query with a valid server cookie (one this server made, at most 1 hour old) is never rate limited.
        """;

    private const string Prefix = "--rate-limit-";

    /// <summary>The host's <c>dns.rateLimit</c> key of each numeric flag (the names <see cref="RateLimitOptions.FirstProblem"/> reports).</summary>
    private static readonly Dictionary<string, string> s_rateLimitKeys = new(StringComparer.Ordinal)
    {
        [Prefix + "responses-per-second"] = "responsesPerSecond",
        [Prefix + "slip"] = "slip",
        [Prefix + "ipv4-prefix-length"] = "ipv4PrefixLength",
        [Prefix + "ipv6-prefix-length"] = "ipv6PrefixLength",
    };

    /// <summary>The numeric flags given, by their <c>dns.rateLimit</c> key.</summary>
    private readonly Dictionary<string, int> _rateLimitNumbers = new(StringComparer.Ordinal);
    private readonly List<IPNetwork> _exempt = [];
    private byte[]? _nsid;
    private byte[]? _cookieSecret;
    private bool? _rateLimitOn;
    private bool _exemptGiven;

    /// <summary>The first <c>--rate-limit-…</c> flag given (refused beside <c>--rate-limit off</c>).</summary>
    private string? _firstRateLimitFlag;

    public static bool IsFlag(string flag) =>
        flag is "--nsid" or "--cookie-secret" or "--rate-limit" or Prefix + "exempt" || s_rateLimitKeys.ContainsKey(flag);

    /// <summary>Takes <c>args[i]</c> (one of <see cref="IsFlag"/>) and its value, moving <paramref name="i"/> past it.</summary>
    public bool TryTake(IReadOnlyList<string> args, ref int i, out string error)
    {
        var flag = args[i];
        if (i + 1 >= args.Count)
        {
            error = $"{flag} needs a value";
            return false;
        }

        var value = args[++i];
        error = flag switch
        {
            "--nsid" => TakeNsid(value),
            "--cookie-secret" => TakeCookieSecret(value),
            "--rate-limit" => TakeOnOff(value),
            Prefix + "exempt" => TakeExempt(value),
            _ => TakeNumber(flag, value),
        };
        return error.Length == 0;
    }

    /// <summary>The options with every flag taken; false (and null) with an error naming the flag when they do not fit together.</summary>
    public bool TryApply(StaticZoneOptions options, out StaticZoneOptions? applied, out string error)
    {
        applied = null;
        error = "";
        if (_rateLimitOn == false)
        {
            if (_firstRateLimitFlag is { } flag)
            {
                error = $"{flag} is given with --rate-limit off";
                return false;
            }

            applied = options with { Nsid = _nsid, CookieSecret = _cookieSecret, RateLimit = null };
            return true;
        }

        var defaults = new RateLimitOptions();
        var rateLimit = new RateLimitOptions
        {
            ResponsesPerSecond = Number("responsesPerSecond", defaults.ResponsesPerSecond),
            Slip = Number("slip", defaults.Slip),
            Ipv4PrefixLength = Number("ipv4PrefixLength", defaults.Ipv4PrefixLength),
            Ipv6PrefixLength = Number("ipv6PrefixLength", defaults.Ipv6PrefixLength),
            Exempt = _exemptGiven ? [.. _exempt] : defaults.Exempt,
        };
        if (rateLimit.FirstProblem() is { } problem)
        {
            var flag = s_rateLimitKeys.First(k => k.Value == problem.Key).Key;
            error = $"{flag} {problem.Value}: expected {problem.Expected}";
            return false;
        }

        applied = options with { Nsid = _nsid, CookieSecret = _cookieSecret, RateLimit = rateLimit };
        return true;
    }

    private int Number(string key, int fallback) => _rateLimitNumbers.GetValueOrDefault(key, fallback);

    private string TakeNsid(string value)
    {
        if (value.Length is 0 or > EdnsFeatures.MaxNsidLength || !System.Text.Ascii.IsValid(value))
        {
            return $"--nsid '{value}': expected 1 to {EdnsFeatures.MaxNsidLength} ASCII characters";
        }

        _nsid = System.Text.Encoding.ASCII.GetBytes(value);
        return "";
    }

    private string TakeCookieSecret(string value)
    {
        // The value is a secret: the error says what is wrong with it, never the value itself.
        var secret = new byte[16];
        if (value.Length != 32 || Convert.FromHexString(value, secret, out _, out var written) != System.Buffers.OperationStatus.Done || written != 16)
        {
            return $"--cookie-secret: expected 32 hex digits (a 16-octet SipHash-2-4 key, RFC 9018 §4.4), got {value.Length} characters, e.g. {Convert.ToHexString(new byte[16])}";
        }

        _cookieSecret = secret;
        return "";
    }

    private string TakeOnOff(string value)
    {
        _rateLimitOn = value switch
        {
            "on" => true,
            "off" => false,
            _ => null,
        };
        return _rateLimitOn is null ? $"--rate-limit '{value}': expected on or off" : "";
    }

    private string TakeExempt(string value)
    {
        _exemptGiven = true;
        _firstRateLimitFlag ??= Prefix + "exempt";
        if (value == "none")
        {
            return "";
        }

        if (!IPNetwork.TryParse(value, out var network))
        {
            return $"{Prefix}exempt '{value}': expected ADDRESS/PREFIX such as 127.0.0.0/8 or ::1/128, or none";
        }

        _exempt.Add(network);
        return "";
    }

    private string TakeNumber(string flag, string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return $"{flag} '{value}': expected a whole number";
        }

        _rateLimitNumbers[s_rateLimitKeys[flag]] = number;
        _firstRateLimitFlag ??= flag;
        return "";
    }
}
