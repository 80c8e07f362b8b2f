using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Holdfast.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Holdfast.Client.Resolution;

/// <summary>
/// A stub resolver that rides out DNS failure: several upstreams with a per-query timeout and failover, UDP with TCP
/// fallback, a TTL cache with prefetch, serve-stale (RFC 8767), a last-known-good file, and a bounded hold on
/// suspect answers (a name that had addresses suddenly NXDOMAIN, NODATA or empty: the October 2025 failure as a
/// client saw it). Thread-safe; one instance per process is the intent.
/// </summary>
/// <remarks>
/// A hit is answered synchronously from an immutable entry and allocates nothing. A miss starts one refresh per name
/// (concurrent callers share it); refreshes run to completion on the resolver's lifetime, not the caller's, so a
/// caller that stops waiting (the stale client timer) does not cancel the work that will heal the cache.
/// </remarks>
public sealed partial class HoldfastResolver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, NameState> _names = new(DnsNameComparer.Instance);
    private readonly HoldfastResolverOptions _options;
    private readonly TimeProvider _time;
    private readonly ClientMetrics _metrics;
    private readonly ILogger _logger;
    private readonly UpstreamClient _client;
    private readonly LastKnownGoodStore _lastKnownGood;
    private readonly UpstreamHealth _upstreams;
    private readonly CancellationTokenSource _stop = new();

    /// <param name="random">Query IDs; seeded by tests and the simulator, from entropy at the composition root.</param>
    /// <param name="metrics">Null creates a meter of its own.</param>
    public HoldfastResolver(HoldfastResolverOptions options, TimeProvider time, SeededRandom random, ClientMetrics? metrics = null, ILogger<HoldfastResolver>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _options = options;
        _time = time;
        _metrics = metrics ?? new ClientMetrics();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _client = new UpstreamClient(options, time, random, _metrics, _logger);
        _lastKnownGood = new LastKnownGoodStore(options, time, _logger);
        _upstreams = new UpstreamHealth(options, time);
    }

    /// <summary>Raised when a suspect answer starts being held (once per episode, on the refreshing thread).</summary>
    public event Action<SuspectAnswer>? SuspectAnswerHeld;

    /// <summary>Names whose suspect answer is being held now.</summary>
    public IReadOnlyList<SuspectAnswer> SuspectAnswers =>
        [.. _names.Values.Select(state => state.Suspect).OfType<SuspectAnswer>()];

    public ClientMetrics Metrics => _metrics;

    /// <summary>
    /// Resolves <paramref name="name"/> (presentation form, final dot optional, any case). Never throws for DNS
    /// failure: the outcome says where the addresses came from, or why there are none.
    /// </summary>
    public ValueTask<NameResolution> ResolveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_names.TryGetValue(name, out var state) && state.Entry is { } entry)
        {
            var now = _time.GetUtcNow();
            if (now < entry.ExpiresAt)
            {
                Served(state, entry, now);
                return new ValueTask<NameResolution>(entry.ToResolution(now));
            }
        }

        return new ValueTask<NameResolution>(ResolveMissAsync(state ?? _names.GetOrAdd(name, static n => new NameState(n)), cancellationToken));
    }

    /// <summary>Completes when every last-known-good change made so far is on disk.</summary>
    public Task FlushLastKnownGoodAsync() => _lastKnownGood.FlushAsync();

    /// <summary>Completes when no refresh is running (tests and the simulator wait on it).</summary>
    public Task WhenRefreshedAsync() =>
        Task.WhenAll(_names.Values.Select(state => state.Refresh).OfType<Task<NameResolution>>());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await WhenRefreshedAsync();
        }
        catch (OperationCanceledException)
        {
            // Refreshes end on the stop token.
        }

        await _lastKnownGood.FlushAsync();
        _stop.Dispose();
    }

    private void Served(NameState state, CacheEntry entry, DateTimeOffset now)
    {
        _metrics.Hit();
        CountServed(entry.Source);
        if (entry.Source == ResolutionSource.Fresh)
        {
            var hits = Interlocked.Increment(ref state.Hits);
            if (_options.PrefetchMinHits > 0 && hits >= _options.PrefetchMinHits &&
                entry.ExpiresAt - now < entry.Ttl * _options.PrefetchRemainingFraction && state.Refresh is not { IsCompleted: false })
            {
                _metrics.Prefetches.Add(1);
                _ = StartRefresh(state);
            }
        }
    }

    private void CountServed(ResolutionSource source)
    {
        switch (source)
        {
            case ResolutionSource.Stale:
                _metrics.StaleAnswers.Add(1, new KeyValuePair<string, object?>("source", "stale"));
                break;
            case ResolutionSource.LastKnownGood:
                _metrics.StaleAnswers.Add(1, new KeyValuePair<string, object?>("source", "last_known_good"));
                break;
            case ResolutionSource.SuspectHeld:
                _metrics.SuspectAnswersHeld.Add(1);
                break;
        }
    }

    private async Task<NameResolution> ResolveMissAsync(NameState state, CancellationToken cancellationToken)
    {
        _metrics.Miss();
        var entry = state.Entry;
        var refresh = StartRefresh(state);
        if (entry is not null && CanServeStale(entry, _time.GetUtcNow()))
        {
            // Already failing over (the recheck timer ran out): answer at once, the refresh goes on behind.
            if (entry.Source is ResolutionSource.Stale or ResolutionSource.LastKnownGood)
            {
                return ServeStale(state.Name, entry, _time.GetUtcNow(), logTransition: false);
            }

            // RFC 8767 §5 client response timer: a slow upstream costs the caller at most this long.
            if (!refresh.IsCompleted && _options.StaleAnswerClientTimeout > TimeSpan.Zero)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(_options.StaleAnswerClientTimeout, _time, timer.Token);
                var first = await Task.WhenAny(refresh, delay);
                await timer.CancelAsync();
                if (first != refresh)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return ServeStale(state.Name, entry, _time.GetUtcNow(), logTransition: true);
                }
            }
        }

        // Counted here, where a caller gets it, and not in the refresh: a background refresh serves nobody.
        var resolution = await refresh.WaitAsync(cancellationToken);
        CountServed(resolution.Source);
        return resolution;
    }

    /// <summary>Addresses from the file count from when they were saved, bounded by their own age limit.</summary>
    private bool CanServeStale(CacheEntry entry, DateTimeOffset now) =>
        entry.HasAddresses && (entry.Source == ResolutionSource.LastKnownGood
            ? now - entry.DataExpiredAt <= _options.MaxLastKnownGoodAge
            : _options.MaxStale > TimeSpan.Zero && now - entry.DataExpiredAt <= _options.MaxStale);

    private NameResolution ServeStale(string name, CacheEntry entry, DateTimeOffset now, bool logTransition)
    {
        if (logTransition)
        {
            ClientLog.StaleServed(_logger, name, now - entry.DataExpiredAt);
        }

        var source = entry.Source == ResolutionSource.LastKnownGood ? ResolutionSource.LastKnownGood : ResolutionSource.Stale;
        CountServed(source);
        return new NameResolution(entry.Addresses, source, _options.StaleAnswerTtl);
    }

    private Task<NameResolution> StartRefresh(NameState state)
    {
        lock (state.Gate)
        {
            if (state.Refresh is { IsCompleted: false } running)
            {
                return running;
            }

            var refresh = RefreshAsync(state);
            state.Refresh = refresh;
            return refresh;
        }
    }

    private async Task<NameResolution> RefreshAsync(NameState state)
    {
        // Leave the caller's lock and context first: the refresh belongs to the resolver.
        await Task.Yield();
        var answer = await _upstreams.AskAsync(_client, state.Name, _metrics, _logger, _stop.Token);
        var now = _time.GetUtcNow();
        var previous = state.Entry;
        if (answer.Failed)
        {
            return OnFailure(state, previous, now);
        }

        return answer.Addresses.Count > 0
            ? OnAddresses(state, previous, [.. answer.Addresses], answer.AddressTtl, now)
            : OnNegative(state, previous, answer.Rcode == Dns.Wire.DnsRcode.NxDomain ? ResolutionSource.NameError : ResolutionSource.NoData, answer.NegativeTtl, now);
    }

    private NameResolution OnAddresses(NameState state, CacheEntry? previous, ImmutableArray<IPAddress> addresses, uint ttlSeconds, DateTimeOffset now)
    {
        var ttl = TimeSpan.FromSeconds(ttlSeconds);
        ttl = ttl < _options.MinimumTtl ? _options.MinimumTtl : ttl > _options.MaximumTtl ? _options.MaximumTtl : ttl;
        if (state.Suspect is not null || previous?.Source == ResolutionSource.SuspectHeld)
        {
            ClientLog.SuspectCleared(_logger, state.Name);
        }

        state.Suspect = null;
        Interlocked.Exchange(ref state.Hits, 0);
        state.Entry = new CacheEntry(addresses, ResolutionSource.Fresh, now + ttl, now + ttl, ttl, addresses);
        _lastKnownGood.Remember(state.Name, addresses);
        return new NameResolution(addresses, ResolutionSource.Fresh, ttl);
    }

    private NameResolution OnNegative(NameState state, CacheEntry? previous, ResolutionSource answer, uint? negativeTtl, DateTimeOffset now)
    {
        var hold = _options.SuspectHoldFor(state.Name);
        var lastGood = previous is { LastGood.IsDefaultOrEmpty: false } ? previous.LastGood
            : _lastKnownGood.TryGet(state.Name, out var saved) ? saved.Addresses
            : [];
        if (hold > TimeSpan.Zero && !lastGood.IsEmpty)
        {
            var suspect = state.Suspect;
            if (suspect is null)
            {
                suspect = new SuspectAnswer(state.Name, answer, lastGood, now, now + hold);
                state.Suspect = suspect;
                ClientLog.SuspectHeld(_logger, state.Name, answer.ToString(), lastGood.Length, hold);
                SuspectAnswerHeld?.Invoke(suspect);
            }

            if (now < suspect.HoldUntil)
            {
                var recheck = suspect.HoldUntil - now < _options.SuspectRecheckInterval ? suspect.HoldUntil - now : _options.SuspectRecheckInterval;
                state.Entry = new CacheEntry(lastGood, ResolutionSource.SuspectHeld, now + recheck, previous?.DataExpiredAt ?? now, recheck, lastGood);
                return new NameResolution(lastGood, ResolutionSource.SuspectHeld, recheck);
            }

            // The bound is reached: the answer is taken as real, and the saved addresses no longer vouch for the name.
            ClientLog.SuspectHoldExpired(_logger, state.Name, hold, answer.ToString());
            state.Suspect = null;
            _lastKnownGood.Forget(state.Name);
        }

        // RFC 2308 §5: negative answers live for the SOA's negative TTL; without an SOA, not cached (RFC 2308 §5 last paragraph).
        var ttl = negativeTtl is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        ttl = ttl > _options.MaximumNegativeTtl ? _options.MaximumNegativeTtl : ttl;
        state.Entry = new CacheEntry([], answer, now + ttl, now + ttl, ttl, []);
        return new NameResolution([], answer, ttl);
    }

    private NameResolution OnFailure(NameState state, CacheEntry? previous, DateTimeOffset now)
    {
        // A prefetch that failed: the entry is still within its TTL, so it stays as it is until it expires.
        if (previous is { Source: ResolutionSource.Fresh } && now < previous.ExpiresAt)
        {
            return previous.ToResolution(now);
        }

        if (previous is not null && CanServeStale(previous, now))
        {
            // RFC 8767 §4: serve the stale data with a short TTL and ask again when the recheck timer runs out.
            var source = previous.Source is ResolutionSource.LastKnownGood or ResolutionSource.SuspectHeld ? previous.Source : ResolutionSource.Stale;
            state.Entry = previous with { Source = source, ExpiresAt = now + _options.StaleAnswerTtl };
            if (previous.Source == ResolutionSource.Fresh)
            {
                ClientLog.StaleServed(_logger, state.Name, now - previous.DataExpiredAt);
            }

            return new NameResolution(previous.Addresses, source, _options.StaleAnswerTtl);
        }

        if (previous is { HasAddresses: false } && now - previous.DataExpiredAt <= _options.MaxStale && _options.MaxStale > TimeSpan.Zero)
        {
            // A cached NXDOMAIN/NODATA is stale data too (RFC 8767 §4); it stays what it was.
            state.Entry = previous with { ExpiresAt = now + _options.StaleAnswerTtl };
            return new NameResolution([], previous.Source, _options.StaleAnswerTtl);
        }

        // The file stands in for a cache this process never had (a restart during the outage); data this process
        // saw and let grow older than the max-stale bound is not resurrected from it.
        if (previous is null && _lastKnownGood.TryGet(state.Name, out var saved))
        {
            ClientLog.LastKnownGoodUsed(_logger, state.Name, now - saved.SavedAt);
            state.Entry = new CacheEntry(saved.Addresses, ResolutionSource.LastKnownGood, now + _options.StaleAnswerTtl, saved.SavedAt, _options.StaleAnswerTtl, saved.Addresses);
            return new NameResolution(saved.Addresses, ResolutionSource.LastKnownGood, _options.StaleAnswerTtl);
        }

        ClientLog.ResolutionFailed(_logger, state.Name);
        return new NameResolution([], ResolutionSource.Failed, TimeSpan.Zero);
    }
}
