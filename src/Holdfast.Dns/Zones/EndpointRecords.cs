using System.Net.Sockets;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Zones;

/// <summary>
/// The A and AAAA answers of one endpoint. With <see cref="MaxAnswers"/> = 0 every address is answered;
/// otherwise at most that many, chosen by weight and rotated per query so that load spreads.
/// </summary>
/// <remarks>
/// Selection is a weighted wheel built once per snapshot: each address appears <c>weight</c> times
/// (weights above 100 are scaled down to keep the wheel small), interleaved in smooth weighted
/// round-robin order. A query starts at the next position of a shared counter and takes distinct
/// addresses in wheel order. Worked example, weights a=2 b=1 c=1, max 2:
/// <code>
/// wheel  a b c a
/// start  0 → a b      1 → b c      2 → c a      3 → a b
/// </code>
/// With max 1 each address is answered in exact proportion to its weight (a 2 in 4, b and c 1 each);
/// with larger subsets the split is approximate (here a 3, b 3, c 2 in 4) but every address rotates through.
/// The counter is the only shared mutable state on the query path (an Interlocked increment).
/// </remarks>
public sealed class EndpointRecords
{
    private readonly byte[][] _v4;
    private readonly byte[][] _v6;
    private readonly int[] _v4Wheel;
    private readonly int[] _v6Wheel;
    private int _rotation;

    public EndpointRecords(uint ttl, int maxAnswers, IReadOnlyList<EndpointAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfNegative(maxAnswers);
        Ttl = ttl;
        MaxAnswers = maxAnswers;
        Addresses = [.. addresses];
        var v4 = addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork).ToList();
        var v6 = addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6).ToList();
        _v4 = [.. v4.Select(a => Rdata.Address(a.Address))];
        _v6 = [.. v6.Select(a => Rdata.Address(a.Address))];
        _v4Wheel = Wheel(v4);
        _v6Wheel = Wheel(v6);
    }

    public uint Ttl { get; }

    public int MaxAnswers { get; }

    public IReadOnlyList<EndpointAddress> Addresses { get; }

    public bool IsEmpty => Addresses.Count == 0;

    /// <summary>True when the endpoint has records of <paramref name="type"/> (A or AAAA).</summary>
    public bool Has(ushort type) => type == DnsType.A ? _v4.Length > 0 : type == DnsType.Aaaa && _v6.Length > 0;

    /// <summary>
    /// Writes this query's selection of <paramref name="type"/> records as answers owned by a pointer
    /// (<paramref name="ownerPointer"/> ≥ 0) or by <paramref name="owner"/>. Returns the number written, or
    /// -1 when they do not fit.
    /// </summary>
    public int WriteAnswers(ref DnsResponseWriter writer, ushort type, int ownerPointer, scoped ReadOnlySpan<byte> owner)
    {
        var records = type == DnsType.A ? _v4 : _v6;
        var wheel = type == DnsType.A ? _v4Wheel : _v6Wheel;
        if (records.Length == 0)
        {
            return 0;
        }

        var count = MaxAnswers == 0 || MaxAnswers >= records.Length ? records.Length : MaxAnswers;
        Span<bool> taken = records.Length <= 256 ? stackalloc bool[records.Length] : new bool[records.Length];
        var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)wheel.Length);
        var written = 0;
        for (var step = 0; step < wheel.Length && written < count; step++)
        {
            var index = wheel[(start + step) % wheel.Length];
            if (taken[index])
            {
                continue;
            }

            taken[index] = true;
            if (!writer.TryWriteRecord(ownerPointer, owner, type, DnsConstants.ClassIn, Ttl, records[index]))
            {
                return -1;
            }

            written++;
        }

        // A wheel always holds every address at least once, so a full turn finds `count` of them.
        return written;
    }

    private static int[] Wheel(List<EndpointAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            return [];
        }

        var max = addresses.Max(a => Math.Max(1, a.Weight));
        var scale = max > 100 ? max / 100.0 : 1.0;
        var weights = addresses.Select(a => Math.Max(1, (int)Math.Round(Math.Max(1, a.Weight) / scale))).ToArray();
        var total = weights.Sum();

        // Smooth weighted round-robin: each turn every address gains its weight, the richest is chosen and
        // pays the total. Heavy addresses are spread out instead of bunched together.
        var current = new int[weights.Length];
        var wheel = new List<int>(total);
        for (var turn = 0; turn < total; turn++)
        {
            var best = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            wheel.Add(best);
        }

        return [.. wheel];
    }
}
