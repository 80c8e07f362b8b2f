using Holdfast.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Holdfast.Client.Retries;

/// <summary>
/// A retry budget: requests deposit, retries withdraw, and a retry is refused when it would take the retries of
/// the last <see cref="RetryBudgetOptions.Window"/> above <c>RetryRatio × requests + MinRetriesPerSecond × window</c>.
/// The window slides in ten buckets, so old traffic leaves it gradually rather than all at once. Thread-safe; share
/// one budget among every caller of one destination (a named client), so that the bound holds for their sum.
/// </summary>
public sealed class RetryBudget
{
    private const int BucketCount = 10;
    private readonly RetryBudgetOptions _options;
    private readonly TimeProvider _time;
    private readonly ClientMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly long[] _requests = new long[BucketCount];
    private readonly long[] _retries = new long[BucketCount];
    private readonly long _bucketTicks;
    private readonly Lock _gate = new();
    private long _currentBucket;

    public RetryBudget(RetryBudgetOptions options, TimeProvider time, ClientMetrics? metrics = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger ?? NullLogger.Instance;
        _bucketTicks = options.Window.Ticks / BucketCount;
        _currentBucket = BucketOf(time.GetUtcNow());
    }

    /// <summary>Requests and retries within the window now.</summary>
    public (long Requests, long Retries) InWindow
    {
        get
        {
            lock (_gate)
            {
                Slide();
                return (_requests.Sum(), _retries.Sum());
            }
        }
    }

    /// <summary>Counts one request (a first attempt, never a retry).</summary>
    public void RecordRequest()
    {
        lock (_gate)
        {
            Slide();
            _requests[_currentBucket % BucketCount]++;
        }
    }

    /// <summary>Withdraws one retry if the budget allows it; a refusal is counted and changes nothing.</summary>
    public bool TryAcquireRetry()
    {
        long requests;
        long retries;
        lock (_gate)
        {
            Slide();
            requests = _requests.Sum();
            retries = _retries.Sum();
            var allowed = (_options.RetryRatio * requests) + (_options.MinRetriesPerSecond * _options.Window.TotalSeconds);
            if (retries + 1 <= allowed)
            {
                _retries[_currentBucket % BucketCount]++;
                _metrics?.Retries.Add(1);
                return true;
            }
        }

        _metrics?.RetriesDenied.Add(1);
        ClientLog.RetryBudgetExhausted(_logger, retries, requests);
        return false;
    }

    private long BucketOf(DateTimeOffset now) => now.UtcTicks / _bucketTicks;

    /// <summary>Empties the buckets that fell out of the window since the last call (under the lock).</summary>
    private void Slide()
    {
        var bucket = BucketOf(_time.GetUtcNow());
        if (bucket <= _currentBucket)
        {
            return;
        }

        var stale = Math.Min(bucket - _currentBucket, BucketCount);
        for (long i = 1; i <= stale; i++)
        {
            var index = (_currentBucket + i) % BucketCount;
            _requests[index] = 0;
            _retries[index] = 0;
        }

        _currentBucket = bucket;
    }
}
