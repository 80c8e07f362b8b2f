using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Holdfast.Dns.Query;
using Holdfast.Dns.Records;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Server.Metrics;

/// <summary>
/// Counts answered queries by zone, type and RCODE from the engine's own decision (<see cref="QueryOutcome"/>:
/// the message is never parsed again here, and the zone is the one the engine's lookup chose) without allocating per
/// query: each zone owns an array of counters indexed by (type bucket, RCODE) and incremented with
/// <see cref="Interlocked"/>; the tags are built only when <c>holdfast.dns.queries</c> is collected at scrape time.
/// Thread-safe.
/// </summary>
/// <remarks>
/// The type and RCODE labels are Holdfast.Dns's mnemonics (<see cref="RecordTypes.NamedQuestionTypes"/>,
/// <see cref="DnsRcode.Name"/>). The RCODE is the header's four bits (RFC 1035 §4.1.1): an extended RCODE such as
/// BADVERS (RFC 6891 §6.1.3) counts under the low bits it carries there. Queries the engine placed in no zone (outside
/// every zone, or malformed), or in a zone not (or no longer) named by <see cref="SetZones"/>, count under zone
/// <c>none</c>; types Holdfast does not name count as <c>other</c>.
/// </remarks>
public sealed class DnsQueryCounters : IDnsQueryObserver
{
    private const int RcodeBuckets = 16;

    // Label values, built once from Holdfast.Dns's tables: one bucket per named QTYPE, then "other".
    private static readonly string[] s_typeLabels = [.. RecordTypes.NamedQuestionTypes.Select(t => RecordTypes.QuestionName(t)!), "other"];
    private static readonly string[] s_rcodeLabels = [.. Enumerable.Range(0, RcodeBuckets).Select(DnsRcode.Name)];
    private static readonly int s_other = s_typeLabels.Length - 1;

    // QTYPE -> bucket by one array read on the query path; a QTYPE above the largest named one is "other".
    private static readonly byte[] s_bucketOfType = BucketsOfTypes();

    private readonly Histogram<double> _duration;
    private readonly ZoneCounters _none = new("none");
    private Zones _zones = new([]);

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
        var old = Volatile.Read(ref _zones).ByName;
        var byName = new Dictionary<string, ZoneCounters>(StringComparer.Ordinal);
        foreach (var apex in apexes)
        {
            byName.TryAdd(apex, old.TryGetValue(apex, out var kept) ? kept : new ZoneCounters(apex));
        }

        Volatile.Write(ref _zones, new Zones(byName));
    }

    public void Answered(in QueryOutcome outcome, TimeSpan elapsed)
    {
        var zone = outcome.Zone is null ? _none : CountersOf(outcome.Zone);
        var type = outcome.QuestionType;
        var bucket = type < s_bucketOfType.Length ? s_bucketOfType[type] : s_other;
        Interlocked.Increment(ref zone.Counts[(bucket * RcodeBuckets) + (outcome.Rcode & 0x0F)]);
        _duration.Record(elapsed.TotalSeconds);
    }

    private IEnumerable<Measurement<long>> Collect()
    {
        foreach (var zone in Volatile.Read(ref _zones).ByName.Values.Append(_none))
        {
            for (var i = 0; i < zone.Counts.Length; i++)
            {
                var count = Interlocked.Read(ref zone.Counts[i]);
                if (count > 0)
                {
                    yield return new Measurement<long>(count, new("zone", zone.Name), new("type", s_typeLabels[i / RcodeBuckets]), new("rcode", s_rcodeLabels[i % RcodeBuckets]));
                }
            }
        }
    }

    /// <summary>
    /// The counters of the zone the engine answered from. Each snapshot the engine publishes is looked up by name once
    /// (its first query) and remembered by reference after that: the query path does one hash of a reference, never a
    /// comparison of names.
    /// </summary>
    private ZoneCounters CountersOf(ZoneSnapshot zone)
    {
        var zones = Volatile.Read(ref _zones);
        if (zones.BySnapshot.TryGetValue(zone, out var counters))
        {
            return counters;
        }

        counters = zones.ByName.GetValueOrDefault(zone.ApexText, _none);
        zones.BySnapshot.TryAdd(zone, counters);
        return counters;
    }

    private static byte[] BucketsOfTypes()
    {
        var types = RecordTypes.NamedQuestionTypes;
        var buckets = new byte[types.Max() + 1];
        Array.Fill(buckets, (byte)s_other);
        for (var i = 0; i < types.Count; i++)
        {
            buckets[types[i]] = (byte)i;
        }

        return buckets;
    }

    /// <summary>The zones named by SetZones, and what each snapshot the engine answered from counts under (weakly held:
    /// a snapshot the engine replaced goes with its entry).</summary>
    private sealed class Zones(Dictionary<string, ZoneCounters> byName)
    {
        public Dictionary<string, ZoneCounters> ByName { get; } = byName;

        public ConditionalWeakTable<ZoneSnapshot, ZoneCounters> BySnapshot { get; } = new();
    }

    private sealed class ZoneCounters(string name)
    {
        public string Name { get; } = name;

        public long[] Counts { get; } = new long[s_typeLabels.Length * RcodeBuckets];
    }
}
