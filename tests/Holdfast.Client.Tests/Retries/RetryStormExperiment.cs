using Holdfast.Client.Retries;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Holdfast.Client.Tests.Retries;

/// <summary>
/// A deterministic retry-storm experiment on a virtual clock: 100 requests a second for 60 seconds against a
/// backend that answers 503 throughout (an outage), each request made through one client policy. The figure is
/// the amplification of offered load: backend attempts ÷ requests (1.0 is the load without failures). Every
/// request runs to its end (the clock is advanced until no retry is pending), so the tail counts too.
/// Continuations run inline on the thread that advances the clock, so a seed gives one result.
/// </summary>
internal static class RetryStormExperiment
{
    public const int RequestsPerSecond = 100;
    public static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);
    public const int ServiceUnavailable = 503;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public sealed record Figures(string Policy, long Requests, long Attempts)
    {
        public double Amplification => (double)Attempts / Requests;

        public override string ToString() => FormattableString.Invariant($"{Policy,-26} requests {Requests,6}  attempts {Attempts,6}  amplification {Amplification:0.000}x");
    }

    /// <summary>The naive client: retries at once, up to five attempts.</summary>
    public static Figures Naive() => Run("naive (5 immediate tries)", _ => backend =>
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (backend() != ServiceUnavailable)
            {
                break;
            }
        }

        return ValueTask.CompletedTask;
    });

    /// <summary>Polly's retry as usually configured: 3 retries, exponential backoff from 100 ms with Polly's jitter.</summary>
    public static Figures PlainPolly() => Run("plain Polly retry", clock =>
    {
        var pipeline = new ResiliencePipelineBuilder<int> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<int>
            {
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result == ServiceUnavailable),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
            })
            .Build();
        return async backend => await pipeline.ExecuteAsync(_ => new ValueTask<int>(backend()));
    });

    /// <summary>Holdfast's retry with its default budget (10 %, 1 retry/s minimum, 10 s window), without a breaker.</summary>
    public static Figures Budget(int seed) => Run("Holdfast budget", clock => Holdfast(clock, seed, breaker: null));

    /// <summary>Holdfast's retry with the budget and Polly's circuit breaker inside it.</summary>
    public static Figures BudgetAndBreaker(int seed) => Run("Holdfast budget + breaker", clock => Holdfast(clock, seed, new CircuitBreakerStrategyOptions<int>
    {
        ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result == ServiceUnavailable),
        FailureRatio = 0.5,
        MinimumThroughput = 20,
        SamplingDuration = TimeSpan.FromSeconds(5),
        BreakDuration = TimeSpan.FromSeconds(5),
    }));

    private static Func<Func<int>, ValueTask> Holdfast(FakeTimeProvider clock, int seed, CircuitBreakerStrategyOptions<int>? breaker)
    {
        var options = new HoldfastRetryOptions<int>
        {
            ShouldRetry = outcome => outcome.Exception is null && outcome.Result == ServiceUnavailable,
            CircuitBreaker = breaker,
            Random = new SeededRandom(seed),
        };
        var budget = new RetryBudget(options.Budget, clock);
        var pipeline = new ResiliencePipelineBuilder<int> { TimeProvider = clock }.AddHoldfastRetry(budget, options).Build();
        return async backend =>
        {
            try
            {
                await pipeline.ExecuteAsync(_ => new ValueTask<int>(backend()));
            }
            catch (BrokenCircuitException)
            {
                // The open circuit answered without reaching the backend: that is the point of it.
            }
        };
    }

    private static Figures Run(string policy, Func<FakeTimeProvider, Func<Func<int>, ValueTask>> client)
    {
        var clock = new FakeTimeProvider(Start);
        long attempts = 0;
        int Backend()
        {
            attempts++;
            return ServiceUnavailable;
        }

        var call = client(clock);
        var requests = (long)(Outage / Tick) * RequestsPerSecond / 100;
        var pending = new List<Task>();
        for (long i = 0; i < requests; i++)
        {
            pending.Add(call(Backend).AsTask());
            clock.Advance(Tick);
        }

        // Let every retry that was scheduled happen (the backoff cap bounds how long that takes).
        for (var i = 0; i < 6_000 && pending.Any(t => !t.IsCompleted); i++)
        {
            clock.Advance(Tick);
        }

        pending.ShouldAllBe(t => t.IsCompleted);
        return new Figures(policy, requests, attempts);
    }
}
