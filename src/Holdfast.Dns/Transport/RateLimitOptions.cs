using System.Net;

namespace Holdfast.Dns.Transport;

/// <summary>
/// Response rate limiting (RRL) as Knot, NSD and BIND do it: UDP responses are counted per client prefix, response
/// kind and zone; above <see cref="ResponsesPerSecond"/> they are dropped, except every <see cref="Slip"/>-th, which is
/// sent truncated (TC=1) so that a real client retries over TCP, which a spoofed victim never does.
/// </summary>
public sealed record RateLimitOptions
{
    /// <summary>Responses per second per (prefix, kind, zone) before limiting. Default 20 (Knot's and BIND's usual value).</summary>
    public int ResponsesPerSecond { get; init; } = 20;

    /// <summary>Every n-th limited response is sent with TC=1 and no records; 0 drops them all, 1 truncates them all. Default 2.</summary>
    public int Slip { get; init; } = 2;

    /// <summary>IPv4 clients are grouped by this prefix length. Default 24.</summary>
    public int Ipv4PrefixLength { get; init; } = 24;

    /// <summary>IPv6 clients are grouped by this prefix length. Default 56.</summary>
    public int Ipv6PrefixLength { get; init; } = 56;

    /// <summary>Buckets in the table (a power of two); colliding keys share one, as in Knot. Default 65,536.</summary>
    public int TableSize { get; init; } = 65_536;

    /// <summary>Clients never limited. Default loopback (127.0.0.0/8, ::1/128): local tools and probes.</summary>
    public IReadOnlyList<IPNetwork> Exempt { get; init; } = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>Throws naming the bad setting.</summary>
    public void Validate()
    {
        if (FirstProblem() is { } problem)
        {
            throw new ArgumentException($"rateLimit.{problem.Key}: expected {problem.Expected}, not {problem.Value}");
        }
    }

    /// <summary>The first setting out of its range (its key as in <c>dns.rateLimit</c>), or null when every one is valid.</summary>
    public (string Key, string Expected, int Value)? FirstProblem()
    {
        foreach (var problem in Problems())
        {
            return problem;
        }

        return null;
    }

    /// <summary>
    /// Every setting out of its range, each with its key as in <c>dns.rateLimit</c> and the range expected: the one
    /// place these ranges are written (the configuration binder and <c>holdfast serve</c>'s flags both ask here).
    /// </summary>
    public IEnumerable<(string Key, string Expected, int Value)> Problems()
    {
        if (ResponsesPerSecond is not (>= 1 and <= 1_000_000))
        {
            yield return ("responsesPerSecond", "1 to 1000000", ResponsesPerSecond);
        }

        if (Slip is not (>= 0 and <= 10))
        {
            yield return ("slip", "0 to 10", Slip);
        }

        if (Ipv4PrefixLength is not (>= 8 and <= 32))
        {
            yield return ("ipv4PrefixLength", "8 to 32", Ipv4PrefixLength);
        }

        if (Ipv6PrefixLength is not (>= 16 and <= 128))
        {
            yield return ("ipv6PrefixLength", "16 to 128", Ipv6PrefixLength);
        }

        if (TableSize is not (>= 64 and <= 1 << 24) || (TableSize & (TableSize - 1)) != 0)
        {
            yield return ("tableSize", "a power of two from 64 to 16777216", TableSize);
        }
    }
}
