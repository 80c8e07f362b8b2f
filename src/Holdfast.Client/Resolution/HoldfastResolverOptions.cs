using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Holdfast.Client.Resolution;

/// <summary>
/// How <see cref="HoldfastResolver"/> asks, caches and rides out failure. Every default is stated; <see cref="Validate"/>
/// runs when the resolver is built and names the first bad key.
/// </summary>
public sealed class HoldfastResolverOptions
{
    /// <summary>DNS servers in order of preference (Holdfast nodes, secondaries, any recursive or authoritative server). Required.</summary>
    public IList<IPEndPoint> Upstreams { get; } = [];

    /// <summary>How long one query to one upstream may take before the next upstream is asked. Default 1 second.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An upstream that failed is asked after the healthy ones for this long. Default 10 seconds.</summary>
    public TimeSpan UpstreamCooldown { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>RFC 6891 UDP payload advertised in an OPT record; null sends no OPT (512-octet answers). Default 1232 (DNS flag day 2020).</summary>
    [Range(512, 65535)]
    public int? EdnsUdpPayload { get; set; } = 1232;

    /// <summary>Which address records are asked for. Default both A and AAAA.</summary>
    public AddressFamilies Families { get; set; } = AddressFamilies.Both;

    /// <summary>Answers are cached for at least this long, whatever their TTL. Default 0 (the TTL is honoured as given).</summary>
    public TimeSpan MinimumTtl { get; set; } = TimeSpan.Zero;

    /// <summary>Answers are cached for at most this long. Default 1 hour.</summary>
    public TimeSpan MaximumTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>NXDOMAIN and NODATA (RFC 2308) are cached for at most this long. Default 5 minutes.</summary>
    public TimeSpan MaximumNegativeTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>RFC 8767 §5 "max stale timer": expired data may be served this long past its expiry when every upstream fails. Default 1 day; zero turns serve-stale off.</summary>
    public TimeSpan MaxStale { get; set; } = TimeSpan.FromDays(1);

    /// <summary>RFC 8767 §4: the TTL given to a stale answer, and how long it is served before the upstreams are asked again (the failure recheck). Default 30 seconds.</summary>
    public TimeSpan StaleAnswerTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// RFC 8767 §5 "client response timer": with expired data at hand, a caller waits at most this long for the
    /// upstreams before getting the stale answer (the refresh goes on in the background). Default 1.8 seconds.
    /// </summary>
    public TimeSpan StaleAnswerClientTimeout { get; set; } = TimeSpan.FromSeconds(1.8);

    /// <summary>A name hit at least this often during its TTL is refreshed before it expires. Default 2; zero turns prefetch off.</summary>
    [Range(0, int.MaxValue)]
    public int PrefetchMinHits { get; set; } = 2;

    /// <summary>Prefetch starts when less than this fraction of the TTL remains (as CoreDNS <c>prefetch</c>'s percentage). Default 0.1.</summary>
    [Range(0.0, 1.0)]
    public double PrefetchRemainingFraction { get; set; } = 0.1;

    /// <summary>
    /// A name that had addresses and now answers NXDOMAIN, NODATA or an empty set keeps its last good addresses this
    /// long from the first such answer, and the suspect answer is reported. Default 10 minutes; zero turns it off.
    /// </summary>
    public TimeSpan SuspectHold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Per-name <see cref="SuspectHold"/> (names in presentation form); <see cref="TimeSpan.Zero"/> turns the hold off for that name.</summary>
    public IDictionary<string, TimeSpan> SuspectHoldByName { get; } = new Dictionary<string, TimeSpan>(DnsNameComparer.Instance);

    /// <summary>While a suspect answer is held, the upstreams are asked again this often. Default 30 seconds.</summary>
    public TimeSpan SuspectRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The file that keeps the last good addresses of every name across restarts; null turns it off. Default
    /// <c>holdfast/lkg-{process name}.json</c> under the user's local application data folder.
    /// </summary>
    public string? LastKnownGoodPath { get; set; } = DefaultLastKnownGoodPath();

    /// <summary>Addresses from the file are used at most this old. Default 7 days.</summary>
    public TimeSpan MaxLastKnownGoodAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An unchanged address set is written again after this long, so the file's age stays meaningful. Default 1 hour.</summary>
    public TimeSpan LastKnownGoodRewriteInterval { get; set; } = TimeSpan.FromHours(1);

    internal TimeSpan SuspectHoldFor(string name) =>
        SuspectHoldByName.TryGetValue(name, out var hold) ? hold : SuspectHold;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (Upstreams.Count == 0)
        {
            throw new ArgumentException($"{nameof(Upstreams)}: at least one DNS server is required");
        }

        Positive(QueryTimeout, nameof(QueryTimeout));
        Positive(StaleAnswerTtl, nameof(StaleAnswerTtl));
        Positive(SuspectRecheckInterval, nameof(SuspectRecheckInterval));
        NotNegative(UpstreamCooldown, nameof(UpstreamCooldown));
        NotNegative(MinimumTtl, nameof(MinimumTtl));
        NotNegative(MaxStale, nameof(MaxStale));
        NotNegative(StaleAnswerClientTimeout, nameof(StaleAnswerClientTimeout));
        NotNegative(SuspectHold, nameof(SuspectHold));
        NotNegative(MaxLastKnownGoodAge, nameof(MaxLastKnownGoodAge));
        NotNegative(LastKnownGoodRewriteInterval, nameof(LastKnownGoodRewriteInterval));
        NotNegative(MaximumNegativeTtl, nameof(MaximumNegativeTtl));
        if (MaximumTtl < MinimumTtl)
        {
            throw new ArgumentException($"{nameof(MaximumTtl)}: {MaximumTtl} is below {nameof(MinimumTtl)} {MinimumTtl}");
        }

        if (EdnsUdpPayload is < 512 or > 65535)
        {
            throw new ArgumentException($"{nameof(EdnsUdpPayload)}: {EdnsUdpPayload} is outside 512..65535");
        }

        if (PrefetchMinHits < 0)
        {
            throw new ArgumentException($"{nameof(PrefetchMinHits)}: {PrefetchMinHits} is negative");
        }

        if (PrefetchRemainingFraction is < 0 or > 1 || double.IsNaN(PrefetchRemainingFraction))
        {
            throw new ArgumentException($"{nameof(PrefetchRemainingFraction)}: {PrefetchRemainingFraction} is outside 0..1");
        }

        if (Families is not (AddressFamilies.IPv4 or AddressFamilies.IPv6 or AddressFamilies.Both))
        {
            throw new ArgumentException($"{nameof(Families)}: {Families} asks for no address family");
        }

        foreach (var (name, hold) in SuspectHoldByName)
        {
            NotNegative(hold, $"{nameof(SuspectHoldByName)}[{name}]");
        }
    }

    private static void Positive(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{key}: {value} must be positive");
        }
    }

    private static void NotNegative(TimeSpan value, string key)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentException($"{key}: {value} must not be negative");
        }
    }

    private static string DefaultLastKnownGoodPath()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.GetTempPath();
        }

        var process = Path.GetFileNameWithoutExtension(Environment.ProcessPath) ?? "app";
        return Path.Combine(root, "holdfast", $"lkg-{process}.json");
    }
}
