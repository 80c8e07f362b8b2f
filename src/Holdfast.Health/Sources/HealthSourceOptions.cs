namespace Holdfast.Health.Sources;

/// <summary>
/// One health source: an active prober (<see cref="HealthSourceKind.Http"/>, <see cref="HealthSourceKind.Tcp"/>)
/// or an external monitor (<see cref="HealthSourceKind.External"/>). Several sources of the same kind (one per
/// availability zone, say) give the quorum its independent opinions. The one model of a source: <c>holdfast.yaml</c>'s
/// <c>healthSources</c> bind to it directly, so its defaults are the configuration's. Call <see cref="Validate"/> at start-up.
/// </summary>
public sealed record HealthSourceOptions
{
    /// <summary>Unique name, used in observations, the API and the quorum: letters, digits, '-', '_' and '.'. Required.</summary>
    public string Name { get; set; } = "";

    /// <summary>How the source learns about targets. Default <see cref="HealthSourceKind.Http"/>.</summary>
    public HealthSourceKind Kind { get; set; } = HealthSourceKind.Http;

    /// <summary>
    /// Time between two checks of one target (for an external source: how often it is expected to report).
    /// Freshness is a multiple of it (<see cref="Aggregation.HealthAggregationOptions.FreshnessIntervals"/>). Default 2 s.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A check that has not succeeded within this time is down ("timeout"). At most <see cref="Interval"/>. Default 1 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Each wait is <see cref="Interval"/> × (1 ± up to this fraction), drawn from the injected seeded random,
    /// so that probes of many targets do not fire in step. 0 to 0.5. Default 0.1.
    /// </summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>Consecutive up results before this source's opinion of a target flips to up. At least 1. Default 2.</summary>
    public int Rise { get; set; } = 2;

    /// <summary>
    /// Consecutive down (or unexpected) results before this source's opinion of a target flips to down (or
    /// unexpected). At least 1. Default 3.
    /// </summary>
    public int Fall { get; set; } = 3;

    /// <summary>A copy, so that a caller changing its options object later cannot change a running one unvalidated.</summary>
    internal HealthSourceOptions Copy() => this with { };

    /// <summary>True for kinds Holdfast probes itself.</summary>
    public bool IsActive => Kind != HealthSourceKind.External;

    /// <summary>
    /// Every problem with these options, each naming the key and what is expected; empty when valid.
    /// <paramref name="key"/> is how the caller names this source in its configuration ("health.sources[0]").
    /// </summary>
    public IReadOnlyList<string> Validate(string key)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(Name) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add($"{key}.name: expected a non-empty name of letters, digits, '-', '_' or '.', got '{Name}'");
        }

        if (!Enum.IsDefined(Kind))
        {
            errors.Add($"{key}.kind: expected http, tcp or external, got '{Kind}'");
        }

        if (Interval <= TimeSpan.Zero)
        {
            errors.Add($"{key}.interval: expected a positive duration, got {Interval}");
        }

        if (IsActive && (Timeout <= TimeSpan.Zero || Timeout > Interval))
        {
            errors.Add($"{key}.timeout: expected a positive duration no longer than the interval ({Interval}), got {Timeout}");
        }

        if (double.IsNaN(Jitter) || Jitter < 0 || Jitter > 0.5)
        {
            errors.Add($"{key}.jitter: expected a fraction from 0 to 0.5, got {Jitter}");
        }

        if (Rise is < 1 or > 100)
        {
            errors.Add($"{key}.rise: expected 1 to 100 consecutive results, got {Rise}");
        }

        if (Fall is < 1 or > 100)
        {
            errors.Add($"{key}.fall: expected 1 to 100 consecutive results, got {Fall}");
        }

        return errors;
    }
}
