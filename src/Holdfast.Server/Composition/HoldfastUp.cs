using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Holdfast.ControlPlane.Store;
using Holdfast.Health.Demo;
using Holdfast.Server.Configuration;
using Holdfast.Server.Hosting;

namespace Holdfast.Server.Composition;

/// <summary>
/// <c>holdfast up</c>: validates the configuration, optionally starts the demo health listeners, starts a
/// <see cref="HoldfastHost"/> and runs it until SIGINT or SIGTERM; SIGHUP reloads the configuration. This is
/// the composition root: the system clock and a fresh seed are made here and nowhere else.
/// </summary>
/// <remarks>
/// Without <c>--config</c> it runs the quickstart: <c>examples/quickstart.yaml</c> (relative to the working
/// directory, which <c>./holdfast</c> sets to the repository root) with the demo listeners on, so that a
/// fresh clone works with one command. With <c>--config</c>, <c>--demo</c> is off unless given.
/// </remarks>
public static class HoldfastUp
{
    /// <summary>The configuration used when none is given.</summary>
    public const string QuickstartPath = "examples/quickstart.yaml";

    /// <summary>Exit codes: 0 stopped cleanly, 1 refused configuration or failed start, 2 usage.</summary>
    public static async Task<int> RunAsync(string? configPath, bool demo, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (configPath is null)
        {
            if (!File.Exists(QuickstartPath))
            {
                await stderr.WriteLineAsync($"holdfast up: no --config FILE given and {QuickstartPath} is not in {Directory.GetCurrentDirectory()} (run ./holdfast from the repository root, or pass --config)");
                return 2;
            }

            configPath = QuickstartPath;
            demo = true;
            await stdout.WriteLineAsync($"holdfast: no --config given: running the quickstart ({QuickstartPath}) with demo health listeners");
        }

        var environment = ConfigValidator.ProcessEnvironment();
        var config = ConfigValidator.ValidateFile(configPath, environment);
        if (config.Options is not { } options)
        {
            await ConfigValidationReport.WriteErrorsAsync(config, stderr);
            await stderr.WriteLineAsync($"holdfast up: configuration {configPath} refused ({config.Errors.Count} error{(config.Errors.Count == 1 ? "" : "s")}); nothing started");
            return 1;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        DemoHealthListeners? listeners = null;
        HoldfastHost? host = null;
        try
        {
            if (demo)
            {
                listeners = StartDemo(options);
            }

            var time = TimeProvider.System;
            var seed = Environment.ProcessId ^ (int)time.GetTimestamp();
            var demoTargets = listeners is null ? new Dictionary<string, DemoHealthListener>() : DemoTargets(options, listeners);
            host = await HoldfastHost.StartAsync(options, new HostSettings { Time = time, Seed = seed, ConfigPath = configPath, Environment = environment, DemoTargets = demoTargets }, stop.Token);
        }
        catch (Exception ex) when (ex is ControlStoreException or SocketException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync("holdfast up: cannot start: " + ex.Message);
            if (listeners is not null)
            {
                await listeners.DisposeAsync();
            }

            return 1;
        }

        // SIGINT (Ctrl-C) and SIGTERM (service managers) stop gracefully: workers finish their current store
        // operation, so every acknowledged write is committed. SIGHUP reloads the configuration file.
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onHangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _ = host.ReloadAsync(stop.Token);
        });

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        await PrintWelcomeAsync(host, options, listeners, stdout);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A signal or the caller asked to stop.
        }

        await host.DisposeAsync();
        if (listeners is not null)
        {
            await listeners.DisposeAsync();
        }

        await stdout.WriteLineAsync("holdfast: stopped; every acknowledged write is on disk.");
        return 0;
    }

    /// <summary>One listener per distinct loopback HTTP health-check address in the configuration.</summary>
    private static DemoHealthListeners StartDemo(HoldfastOptions options)
    {
        var endPoints = options.Endpoints
            .SelectMany(e => e.Targets)
            .Select(t => t.HealthCheck?.Url)
            .OfType<Uri>()
            .Where(u => IPAddress.TryParse(u.Host.Trim('[', ']'), out var a) && IPAddress.IsLoopback(a))
            .Select(u => new IPEndPoint(IPAddress.Parse(u.Host.Trim('[', ']')), u.Port))
            .Distinct()
            .ToList();
        return DemoHealthListeners.Start(endPoints);
    }

    private static Dictionary<string, DemoHealthListener> DemoTargets(HoldfastOptions options, DemoHealthListeners listeners)
    {
        var byEndPoint = listeners.Listeners.ToDictionary(l => l.EndPoint);
        var targets = new Dictionary<string, DemoHealthListener>(StringComparer.Ordinal);
        foreach (var endpoint in options.Endpoints)
        {
            foreach (var target in endpoint.Targets)
            {
                if (target.HealthCheck?.Url is { } url && IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && byEndPoint.TryGetValue(new IPEndPoint(address, url.Port), out var listener))
                {
                    targets[endpoint.Name + "/" + target.Id] = listener;
                }
            }
        }

        return targets;
    }

    private static async Task PrintWelcomeAsync(HoldfastHost host, HoldfastOptions options, DemoHealthListeners? listeners, TextWriter stdout)
    {
        var dns = host.DnsEndPoints[0];
        var api = host.ApiAddress.ToString().TrimEnd('/');
        var example = options.Endpoints.IsEmpty ? options.Zones[0].Apex : options.Endpoints[0].Name;
        await stdout.WriteLineAsync($"""
            holdfast: up. Data in {Path.GetFullPath(options.DataDirectory)}
              DNS      {string.Join(", ", host.DnsEndPoints)} (UDP and TCP)
              dashboard {api}/ui   (sign in with the token in {host.TokenPath} to act)
              API      {api}/api/v1   (mutating calls: Authorization: Bearer $(cat {host.TokenPath}))
              metrics  {api}/metrics
              try      dig @{dns.Address} -p {dns.Port} {example} A
            """);
        if (listeners is not null && host.DemoTargets.Keys.Order(StringComparer.Ordinal).FirstOrDefault() is { } first)
        {
            var (name, id) = (first[..first.LastIndexOf('/')], first[(first.LastIndexOf('/') + 1)..]);
            await stdout.WriteLineAsync($"  demo     {listeners.Count} health listeners on 127.0.0.1 ports {string.Join(", ", listeners.Listeners.Select(l => l.EndPoint.Port))}");
            await stdout.WriteLineAsync($"           fail one: curl -X POST -H \"Authorization: Bearer $(cat {host.TokenPath})\" -H 'Content-Type: application/json' -d '{{\"healthy\":false}}' {api}/api/v1/demo/targets/{name}/{id}");
        }

        await stdout.WriteLineAsync("Ctrl-C stops; SIGHUP reloads the configuration.");
    }
}
