using System.Net;
using Holdfast.Client.Telemetry;
using Holdfast.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Holdfast.Client.Resolution;

/// <summary>
/// Chooses the order in which upstreams are asked: configured order, except that an upstream which failed within
/// <see cref="HoldfastResolverOptions.UpstreamCooldown"/> goes behind the others (it is still asked last, so a
/// total outage is noticed ending as soon as any server answers). Asks for A and AAAA together and merges them.
/// </summary>
internal sealed class UpstreamHealth(HoldfastResolverOptions options, TimeProvider time)
{
    private readonly long[] _failedUntilTicks = new long[options.Upstreams.Count];

    public async Task<UpstreamAnswer> AskAsync(UpstreamClient client, string name, ClientMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var order = Enumerable.Range(0, options.Upstreams.Count)
            .OrderBy(i => Interlocked.Read(ref _failedUntilTicks[i]) > now.UtcTicks ? 1 : 0)
            .ThenBy(i => i)
            .ToArray();
        var last = UpstreamAnswer.Fail(UpstreamFailure.Network);
        foreach (var index in order)
        {
            var upstream = options.Upstreams[index];
            last = await AskOneAsync(client, upstream, name, metrics, logger, cancellationToken);
            if (!last.Failed)
            {
                Interlocked.Exchange(ref _failedUntilTicks[index], 0);
                return last;
            }

            Interlocked.Exchange(ref _failedUntilTicks[index], (time.GetUtcNow() + options.UpstreamCooldown).UtcTicks);
        }

        return last;
    }

    private async Task<UpstreamAnswer> AskOneAsync(UpstreamClient client, IPEndPoint upstream, string name, ClientMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        var v4 = (options.Families & AddressFamilies.IPv4) != 0 ? client.QueryAsync(upstream, name, DnsType.A, cancellationToken) : null;
        var v6 = (options.Families & AddressFamilies.IPv6) != 0 ? client.QueryAsync(upstream, name, DnsType.Aaaa, cancellationToken) : null;
        var a = v4 is null ? (UpstreamAnswer?)null : await v4;
        var aaaa = v6 is null ? (UpstreamAnswer?)null : await v6;
        foreach (var (answer, type) in new[] { (a, "A"), (aaaa, "AAAA") })
        {
            if (answer is { Failed: true } failed)
            {
                metrics.UpstreamFailures.Add(1, new KeyValuePair<string, object?>("reason", ReasonTag(failed.Failure)));
                ClientLog.UpstreamFailed(logger, upstream, name, type, failed.Failure.ToString());
                return failed;
            }
        }

        return Merge(a, aaaa);
    }

    /// <summary>Addresses of both families; the smallest TTL; NXDOMAIN if either says so, otherwise NODATA.</summary>
    private static UpstreamAnswer Merge(UpstreamAnswer? a, UpstreamAnswer? aaaa)
    {
        if (a is not { } v4)
        {
            return aaaa!.Value;
        }

        if (aaaa is not { } v6)
        {
            return v4;
        }

        var addresses = v4.Addresses.Concat(v6.Addresses).ToList();
        var ttl = v4.Addresses.Count == 0 ? v6.AddressTtl : v6.Addresses.Count == 0 ? v4.AddressTtl : Math.Min(v4.AddressTtl, v6.AddressTtl);
        var rcode = addresses.Count > 0 ? DnsRcode.NoError : v4.Rcode == DnsRcode.NxDomain || v6.Rcode == DnsRcode.NxDomain ? DnsRcode.NxDomain : DnsRcode.NoError;
        uint? negative = v4.NegativeTtl is { } x && v6.NegativeTtl is { } y ? Math.Min(x, y) : v4.NegativeTtl ?? v6.NegativeTtl;
        return new UpstreamAnswer(UpstreamFailure.None, rcode, addresses, ttl, negative);
    }

    private static string ReasonTag(UpstreamFailure failure) => failure switch
    {
        UpstreamFailure.Timeout => "timeout",
        UpstreamFailure.Network => "network",
        UpstreamFailure.ErrorRcode => "error_rcode",
        _ => "malformed",
    };
}
