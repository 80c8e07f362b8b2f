using Holdfast.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Holdfast.Client.Retries;

/// <summary>The Holdfast retry as a Microsoft.Extensions.Http.Resilience handler on a named client.</summary>
public static class HoldfastRetryHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds a resilience handler named <c>holdfast-retry</c>: one <see cref="RetryBudget"/> for this client (all its
    /// callers share it), full-jitter backoff and Polly's circuit breaker. Put it after any total-timeout handler.
    /// </summary>
    public static IHttpClientBuilder AddHoldfastRetry(this IHttpClientBuilder builder, Action<HoldfastRetryOptions<HttpResponseMessage>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddResilienceHandler("holdfast-retry", (pipeline, context) =>
        {
            var options = new HoldfastRetryOptions<HttpResponseMessage>();
            configure?.Invoke(options);
            var services = context.ServiceProvider;
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            var budget = new RetryBudget(options.Budget, time, services.GetService<ClientMetrics>(), services.GetService<ILogger<RetryBudget>>());
            pipeline.AddHoldfastRetry(budget, options);
        });
        return builder;
    }
}
