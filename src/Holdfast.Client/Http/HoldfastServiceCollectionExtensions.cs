using System.Security.Cryptography;
using Holdfast.Client.Resolution;
using Holdfast.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Holdfast.Client.Http;

/// <summary>Registers the process's resolver and wires it into named <see cref="HttpClient"/>s.</summary>
public static class HoldfastServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="HoldfastResolver"/> for the process (with <see cref="AddressCircuit"/> and
    /// <see cref="ClientMetrics"/>). This is the composition root: <see cref="TimeProvider.System"/> unless a
    /// <see cref="TimeProvider"/> is registered, and a random seed from the system's entropy.
    /// </summary>
    public static IServiceCollection AddHoldfastResolver(this IServiceCollection services, Action<HoldfastResolverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<HoldfastResolverOptions>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ClientMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new AddressCircuit(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new HoldfastResolver(
            sp.GetRequiredService<IOptions<HoldfastResolverOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            new SeededRandom(RandomNumberGenerator.GetInt32(int.MaxValue)),
            sp.GetRequiredService<ClientMetrics>(),
            sp.GetService<ILogger<HoldfastResolver>>()));
        return services;
    }

    /// <summary>
    /// Makes this client resolve through the registered <see cref="HoldfastResolver"/> and connect happy-eyeballs
    /// style across the answer, skipping addresses whose circuit is open; sets
    /// <see cref="SocketsHttpHandler.PooledConnectionLifetime"/> so that new answers are picked up.
    /// Requires <see cref="AddHoldfastResolver"/>.
    /// </summary>
    public static IHttpClientBuilder AddHoldfastResolution(this IHttpClientBuilder builder, Action<HoldfastResolutionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<HoldfastResolutionOptions>(builder.Name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.ConfigurePrimaryHttpMessageHandler(sp =>
        {
            var settings = sp.GetRequiredService<IOptionsMonitor<HoldfastResolutionOptions>>().Get(builder.Name);
            settings.Validate();
            var resolver = sp.GetService<HoldfastResolver>()
                ?? throw new InvalidOperationException($"HttpClient '{builder.Name}': AddHoldfastResolution needs services.AddHoldfastResolver(...) to register the resolver");
            var connector = new HoldfastConnector(
                resolver,
                sp.GetRequiredService<AddressCircuit>(),
                settings,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ClientMetrics>(),
                (ILogger?)sp.GetService<ILogger<HoldfastConnector>>() ?? NullLogger.Instance);
            return new SocketsHttpHandler
            {
                ConnectCallback = connector.ConnectAsync,
                PooledConnectionLifetime = settings.PooledConnectionLifetime,
            };
        });
        return builder;
    }
}
