using System.Buffers.Binary;
using System.Net;

namespace Holdfast.Dns.Transport;

/// <summary>What the limiter decided for one UDP response.</summary>
public enum RateLimitDecision
{
    Send,

    /// <summary>Send a truncated answer (TC=1, question only): a real client retries over TCP.</summary>
    Slip,

    Drop,
}

/// <summary>The kinds of response counted apart (as BIND's RRL does), so a flood of one kind does not limit the others.</summary>
public enum ResponseKind
{
    Answer,
    NoData,
    NxDomain,
    Referral,
    Error,
}

/// <summary>
/// The response rate limiter (<see cref="RateLimitOptions"/>): a fixed table of one-second windows keyed by a hash of
/// (client prefix, response kind, zone), shared by every listener and thread. No allocation per query; a striped lock
/// guards each bucket. <see cref="Limited"/> is raised once when a key starts being limited (the log line). A query
/// with a valid server cookie is never limited.
/// </summary>
public sealed class ResponseRateLimiter
{
    private const int Stripes = 64;
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly Bucket[] _buckets;
    private readonly object[] _locks = new object[Stripes];
    private readonly (byte[] Prefix, int Length)[] _exempt;
    private long _slipped;
    private long _dropped;
    private long _cookieExempted;

    public ResponseRateLimiter(RateLimitOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _time = time;
        _buckets = new Bucket[options.TableSize];
        for (var i = 0; i < Stripes; i++)
        {
            _locks[i] = new object();
        }

        _exempt = [.. options.Exempt.Select(n => (n.BaseAddress.GetAddressBytes(), n.PrefixLength))];
    }

    /// <summary>Raised (on the receive thread) when a client prefix starts being limited for a kind: prefix text, kind.</summary>
    public event Action<string, ResponseKind>? Limited;

    /// <summary>Responses sent truncated instead of in full.</summary>
    public long Slipped => Interlocked.Read(ref _slipped);

    /// <summary>Responses not sent.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Responses sent unlimited, and not counted, because the query carried a valid server cookie (every such response
    /// from a client not exempt by address, whether or not its prefix was over the limit).
    /// </summary>
    public long CookieExempted => Interlocked.Read(ref _cookieExempted);

    /// <summary>The kind of a response, read from its own header (RCODE, AA, counts).</summary>
    public static ResponseKind KindOf(ReadOnlySpan<byte> response)
    {
        var rcode = response[3] & 0xF;
        var answers = BinaryPrimitives.ReadUInt16BigEndian(response[6..]);
        var authority = BinaryPrimitives.ReadUInt16BigEndian(response[8..]);
        return rcode switch
        {
            0 when answers > 0 => ResponseKind.Answer,
            0 when (response[2] & 0x04) == 0 && authority > 0 => ResponseKind.Referral,
            0 => ResponseKind.NoData,
            3 => ResponseKind.NxDomain,
            _ => ResponseKind.Error,
        };
    }

    /// <param name="clientAddress">4 or 16 address octets; anything else is never limited.</param>
    public RateLimitDecision Decide(ReadOnlySpan<byte> clientAddress, ResponseKind kind, byte[]? zoneApex) =>
        Decide(clientAddress, kind, zoneApex, validServerCookie: false);

    /// <inheritdoc cref="Decide(ReadOnlySpan{byte}, ResponseKind, byte[])"/>
    /// <param name="validServerCookie">The query carried a valid server cookie (<see cref="Query.QueryOutcome.ValidServerCookie"/>).
    /// Such a client has proven it receives answers at its address (RFC 7873 §5.3), so it is no spoofed source of a
    /// reflection attack: the response is sent and not counted, as BIND and Knot's mod-rrl do.</param>
    public RateLimitDecision Decide(ReadOnlySpan<byte> clientAddress, ResponseKind kind, byte[]? zoneApex, bool validServerCookie)
    {
        if (clientAddress.Length is not (4 or 16) || IsExempt(clientAddress))
        {
            return RateLimitDecision.Send;
        }

        if (validServerCookie)
        {
            Interlocked.Increment(ref _cookieExempted);
            return RateLimitDecision.Send;
        }

        var prefixLength = clientAddress.Length == 4 ? _options.Ipv4PrefixLength : _options.Ipv6PrefixLength;
        var key = Key(clientAddress, prefixLength, kind, zoneApex);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var index = (int)(key & (ulong)(_buckets.Length - 1));
        int over;
        bool started;
        lock (_locks[index & (Stripes - 1)])
        {
            ref var bucket = ref _buckets[index];
            if (bucket.Key != key)
            {
                bucket = new Bucket { Key = key, Second = now };
            }

            if (bucket.Second != now)
            {
                // A new one-second window; the key was limiting in the last one when its count went over.
                bucket.WasLimiting = bucket.Second == now - 1 && bucket.Count > _options.ResponsesPerSecond;
                bucket.Second = now;
                bucket.Count = 0;
            }

            bucket.Count++;
            over = bucket.Count - _options.ResponsesPerSecond;
            started = over == 1 && !bucket.WasLimiting;
        }

        if (over <= 0)
        {
            return RateLimitDecision.Send;
        }

        if (started)
        {
            Limited?.Invoke(PrefixText(clientAddress, prefixLength), kind);
        }

        if (_options.Slip > 0 && over % _options.Slip == 0)
        {
            Interlocked.Increment(ref _slipped);
            return RateLimitDecision.Slip;
        }

        Interlocked.Increment(ref _dropped);
        return RateLimitDecision.Drop;
    }

    /// <summary>
    /// Turns the response in <paramref name="response"/> into its slipped form: header with TC=1 and the question
    /// only (RFC 1035 §4.1.1; the OPT goes too). Returns the new length.
    /// </summary>
    public static int Slip(Span<byte> response, int length)
    {
        var end = 12;
        if (BinaryPrimitives.ReadUInt16BigEndian(response[4..]) > 0)
        {
            // Holdfast writes the question uncompressed: labels up to the root, then type and class.
            while (end < length && response[end] != 0)
            {
                end += response[end] + 1;
            }

            end = Math.Min(end + 5, length);
        }

        response[2] |= 0x02;
        response[6..12].Clear();
        return end;
    }

    private bool IsExempt(ReadOnlySpan<byte> address)
    {
        foreach (var (prefix, length) in _exempt)
        {
            if (prefix.Length == address.Length && SamePrefix(prefix, address, length))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SamePrefix(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bits)
    {
        var whole = bits / 8;
        if (!a[..whole].SequenceEqual(b[..whole]))
        {
            return false;
        }

        var rest = bits % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (a[whole] & mask) == (b[whole] & mask);
    }

    /// <summary>FNV-1a over the masked prefix, the kind and the zone apex (never zero, so an empty bucket never matches).</summary>
    private static ulong Key(ReadOnlySpan<byte> address, int prefixLength, ResponseKind kind, byte[]? apex)
    {
        var hash = 14695981039346656037UL;
        for (var i = 0; i < address.Length; i++)
        {
            var bits = Math.Clamp(prefixLength - (8 * i), 0, 8);
            hash = (hash ^ (byte)(address[i] & (0xFF << (8 - bits)))) * 1099511628211UL;
        }

        hash = (hash ^ (byte)kind) * 1099511628211UL;
        foreach (var b in apex ?? [])
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash | 1;
    }

    private static string PrefixText(ReadOnlySpan<byte> address, int prefixLength)
    {
        Span<byte> masked = stackalloc byte[address.Length];
        for (var i = 0; i < address.Length; i++)
        {
            var bits = Math.Clamp(prefixLength - (8 * i), 0, 8);
            masked[i] = (byte)(address[i] & (0xFF << (8 - bits)));
        }

        return $"{new IPAddress(masked)}/{prefixLength}";
    }

    private struct Bucket
    {
        public ulong Key;
        public long Second;
        public int Count;
        public bool WasLimiting;
    }
}
