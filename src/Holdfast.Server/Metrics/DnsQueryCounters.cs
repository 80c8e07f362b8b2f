using System.Diagnostics.Metrics;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;

namespace Holdfast.Server.Metrics;

/// <summary>
/// Counts answered queries by zone, type and RCODE from the engine's own decision (<see cref="QueryOutcome"/>:
/// the message is never parsed again here) without allocating per query: each zone owns an array
/// of counters indexed by (type bucket, RCODE) and incremented with <see cref="Interlocked"/>; the tags are
/// built only when <c>holdfast.dns.queries</c> is collected at scrape time. Thread-safe.
/// </summary>
/// <remarks>
/// The RCODE is the header's four bits (RFC 1035 §4.1.1): an extended RCODE such as BADVERS (RFC 6891
/// §6.1.3) counts under the low bits it carries there. Queries the engine placed in no zone (outside every zone,
/// or malformed) count under zone <c>none</c>; types Holdfast does not name count as <c>other</c>.
/// </remarks>
public sealed class DnsQueryCounters : IDnsQueryObserver
{
    private static readonly (ushort Type, string Name)[] s_types =
    [
        (1, "A"), (2, "NS"), (5, "CNAME"), (6, "SOA"), (12, "PTR"), (15, "MX"), (16, "TXT"), (28, "AAAA"),
        (33, "SRV"), (257, "CAA"), (251, "IXFR"), (252, "AXFR"), (255, "ANY"),
    ];

    private static readonly string[] s_rcodes =
        ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "11", "12", "13", "14", "15"];

    private static readonly int s_other = s_types.Length;
    private readonly Histogram<double> _duration;
    private readonly ZoneCounters _none = new("none", []);
    private ZoneCounters[] _zones = [];

    public DnsQueryCounters(HoldfastMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _duration = metrics.QueryDuration;
        metrics.Meter.CreateObservableCounter("holdfast.dns.queries", Collect, "{query}", "DNS queries answered, by zone, query type and response code.");
    }

    /// <summary>Sets the zones counted by name (absolute apexes); counters of zones that stay are kept.</summary>
    public void SetZones(IEnumerable<string> apexes)
    {
        ArgumentNullException.ThrowIfNull(apexes);
        var old = Volatile.Read(ref _zones).ToDictionary(z => z.Name, StringComparer.Ordinal);
        var zones = apexes.Distinct(StringComparer.Ordinal)
            .Select(a => old.TryGetValue(a, out var kept) ? kept : new ZoneCounters(a, ToWire(a)))
            .ToArray();
        Volatile.Write(ref _zones, zones);
    }

    public void Answered(in QueryOutcome outcome, TimeSpan elapsed)
    {
        var zone = outcome.ZoneApex is null ? _none : FindZone(outcome.ZoneApex);
        Interlocked.Increment(ref zone.Counts[(TypeBucket(outcome.QuestionType) * 16) + (outcome.Rcode & 0x0F)]);
        _duration.Record(elapsed.TotalSeconds);
    }

    private IEnumerable<Measurement<long>> Collect()
    {
        foreach (var zone in Volatile.Read(ref _zones).Append(_none))
        {
            for (var i = 0; i < zone.Counts.Length; i++)
            {
                var count = Interlocked.Read(ref zone.Counts[i]);
                if (count > 0)
                {
                    var type = i / 16 == s_other ? "other" : s_types[i / 16].Name;
                    yield return new Measurement<long>(count, new("zone", zone.Name), new("type", type), new("rcode", s_rcodes[i % 16]));
                }
            }
        }
    }

    /// <summary>The counters of the zone the engine answered from; a zone not (or no longer) named by SetZones counts under none.</summary>
    private ZoneCounters FindZone(byte[] apex)
    {
        foreach (var zone in Volatile.Read(ref _zones))
        {
            if (zone.Wire.AsSpan().SequenceEqual(apex))
            {
                return zone;
            }
        }

        return _none;
    }

    private static int TypeBucket(int type)
    {
        for (var i = 0; i < s_types.Length; i++)
        {
            if (s_types[i].Type == type)
            {
                return i;
            }
        }

        return s_other;
    }

    private static byte[] ToWire(string apex)
    {
        var bytes = new List<byte>();
        foreach (var label in apex.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label.ToLowerInvariant()));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private sealed class ZoneCounters(string name, byte[] wire)
    {
        public string Name { get; } = name;

        public byte[] Wire { get; } = wire;

        public long[] Counts { get; } = new long[(s_types.Length + 1) * 16];
    }
}
