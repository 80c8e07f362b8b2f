using Polly;
using Polly.CircuitBreaker;

namespace Holdfast.Client.Retries;

/// <summary>
/// The Holdfast retry policy for a Polly v8 pipeline: at most <see cref="MaxRetryAttempts"/> retries, each after a
/// capped exponential backoff with full jitter, each only if the <see cref="Budget"/> allows it; inside the retry,
/// Polly's circuit breaker (<see cref="CircuitBreaker"/>), whose open state is never retried.
/// </summary>
public sealed class HoldfastRetryOptions<TResult>
{
    /// <summary>Retries after the first attempt, at most. Default 3 (as the AWS SDKs' standard mode and gRPC's cap of 5 attempts allow).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Backoff base. Default 100 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Backoff cap. Default 10 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Which outcomes are worth retrying. Default: any exception except an open circuit, for HTTP also 408, 429 and 5xx.</summary>
    public Func<Outcome<TResult>, bool>? ShouldRetry { get; set; }

    public RetryBudgetOptions Budget { get; set; } = new();

    /// <summary>Polly's circuit breaker inside the retry, with Polly's defaults unless set; null leaves it out.</summary>
    public CircuitBreakerStrategyOptions<TResult>? CircuitBreaker { get; set; } = new();

    /// <summary>The jitter's random source; null draws a seed from the system's entropy (composition root only).</summary>
    public SeededRandom? Random { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (MaxRetryAttempts is < 0 or > 100)
        {
            throw new ArgumentException($"{nameof(MaxRetryAttempts)}: {MaxRetryAttempts} is outside 0..100");
        }

        if (BaseDelay < TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            throw new ArgumentException($"{nameof(BaseDelay)}/{nameof(MaxDelay)}: need 0 <= {BaseDelay} <= {MaxDelay}");
        }

        Budget.Validate();
    }
}
