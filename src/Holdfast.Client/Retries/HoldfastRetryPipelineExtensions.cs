using System.Security.Cryptography;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Holdfast.Client.Retries;

/// <summary>
/// Adds the Holdfast retry (budget, full-jitter backoff, circuit breaker) to a Polly v8 pipeline. Polly has the
/// retry and the breaker; what it lacks is the budget (App-vNext/Polly issue 2348), which gates Polly's own
/// retry here through its <c>ShouldHandle</c> predicate, fed by a small strategy in front that counts requests.
/// </summary>
public static class HoldfastRetryPipelineExtensions
{
    /// <param name="budget">Shared by every pipeline that calls the same destination.</param>
    public static ResiliencePipelineBuilder<TResult> AddHoldfastRetry<TResult>(this ResiliencePipelineBuilder<TResult> builder, RetryBudget budget, HoldfastRetryOptions<TResult> options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var backoff = new FullJitterBackoff(options.BaseDelay, options.MaxDelay, options.Random ?? new SeededRandom(RandomNumberGenerator.GetInt32(int.MaxValue)));
        var shouldRetry = options.ShouldRetry ?? DefaultShouldRetry;
        var maxRetries = options.MaxRetryAttempts;

        builder.AddStrategy(_ => new RetryBudgetDepositStrategy<TResult>(budget), new RetryBudgetDepositOptions());
        builder.AddRetry(new RetryStrategyOptions<TResult>
        {
            Name = "HoldfastRetry",
            MaxRetryAttempts = maxRetries,
            ShouldHandle = args =>
            {
                // Polly asks before it checks the attempt limit and cancellation: withdraw only for a retry that
                // will really happen, or the budget would leak a token on every last attempt.
                if (args.AttemptNumber >= maxRetries || args.Context.CancellationToken.IsCancellationRequested || !shouldRetry(args.Outcome))
                {
                    return new ValueTask<bool>(false);
                }

                return new ValueTask<bool>(budget.TryAcquireRetry());
            },
            DelayGenerator = args => new ValueTask<TimeSpan?>(backoff.Delay(args.AttemptNumber)),
        });
        if (options.CircuitBreaker is { } breaker)
        {
            builder.AddCircuitBreaker(breaker);
        }

        return builder;
    }

    private static bool DefaultShouldRetry<TResult>(Outcome<TResult> outcome) =>
        outcome.Exception switch
        {
            BrokenCircuitException or IsolatedCircuitException => false,
            OperationCanceledException => false,
            not null => true,
            null => outcome.Result is HttpResponseMessage response && IsTransient(response),
        };

    private static bool IsTransient(HttpResponseMessage response) =>
        (int)response.StatusCode is 408 or 429 or >= 500;
}
