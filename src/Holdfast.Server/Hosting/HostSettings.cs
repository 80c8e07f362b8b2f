using Holdfast.Health.Demo;
using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Hosting;

/// <summary>What the composition root hands the host besides the configuration: the clock, the seed of every random source, logging, and the file to reload from.</summary>
public sealed record HostSettings
{
    public required TimeProvider Time { get; init; }

    /// <summary>Seeds the planner's, the enactors' and the probers' jitter (each gets its own derived seed).</summary>
    public required int Seed { get; init; }

    /// <summary>Replaces the default logging (single-line console); tests route logs elsewhere.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>The configuration file <see cref="HoldfastHost.ReloadAsync"/> reads again (SIGHUP); null = no reload.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>
    /// <c>--demo</c>: the health listeners of the targets (key: <c>endpoint/targetId</c>), which
    /// <c>POST /api/v1/demo/targets/{endpoint}/{id}</c> turns healthy or failing. Empty outside demo mode.
    /// </summary>
    public IReadOnlyDictionary<string, DemoHealthListener> DemoTargets { get; init; } = new Dictionary<string, DemoHealthListener>();

    /// <summary>On a shared store, the local copy of what is served is rewritten at most this often, when it moved (each write is O(endpoints)). Default 10 s.</summary>
    public TimeSpan ServingSnapshotInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Environment overrides applied on reload (the same ones start-up used).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
