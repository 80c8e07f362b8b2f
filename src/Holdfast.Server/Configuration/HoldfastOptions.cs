using System.Collections.Immutable;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Sources;

namespace Holdfast.Server.Configuration;

/// <summary>
/// Everything <c>holdfast up</c> runs from, as read from <c>holdfast.yaml</c> (keys in camelCase, see
/// <c>examples/quickstart.yaml</c>) with <c>HOLDFAST_…</c> environment overrides applied. Built only by
/// <see cref="ConfigValidator"/>, which refuses an invalid file with every error named by key and line.
/// </summary>
public sealed record HoldfastOptions
{
    /// <summary>Where the SQLite store and the API token live (<c>dataDirectory</c>). Relative paths are relative to the working directory. Default <c>.holdfast/data</c>.</summary>
    public string DataDirectory { get; init; } = Path.Combine(".holdfast", "data");

    public DnsOptions Dns { get; init; } = new();

    public ApiOptions Api { get; init; } = new();

    /// <summary>The <c>metrics</c> section: an optional OTLP push beside <c>/metrics</c>.</summary>
    public MetricsOptions Metrics { get; init; } = new();

    public ImmutableArray<ZoneOptions> Zones { get; init; } = [];

    public ImmutableArray<EndpointOptions> Endpoints { get; init; } = [];

    /// <summary>One enactor per entry; every target's availability zone must have one.</summary>
    public ImmutableArray<EnactorEntry> Enactors { get; init; } = [];

    /// <summary>Health sources: active probers (http, tcp) and external reporters that post observations.</summary>
    public ImmutableArray<HealthSourceOptions> HealthSources { get; init; } = [];

    /// <summary>The <c>health</c> section: how observations of several sources combine into a target's health.</summary>
    public HealthAggregationOptions Health { get; init; } = new();

    public GuardrailOptions Guardrails { get; init; } = new();

    public PlannerSettings Planner { get; init; } = new();

    public StoreOptions Store { get; init; } = new();
}
