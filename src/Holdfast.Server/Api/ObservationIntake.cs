using Holdfast.Health.Aggregation;
using Holdfast.Health.Observations;

namespace Holdfast.Server.Api;

/// <summary>
/// Where external monitors' observations go: each is recorded with the health aggregator at the time it arrived, and
/// the configured source names explain a refusal. Health sources need a restart to change, so the names are fixed.
/// </summary>
public sealed class ObservationIntake
{
    private readonly HealthAggregator _aggregator;
    private readonly TimeProvider _time;

    internal ObservationIntake(HealthAggregator aggregator, TimeProvider time, IReadOnlyList<string> sources)
    {
        _aggregator = aggregator;
        _time = time;
        Sources = sources;
    }

    /// <summary>The configured health sources, in configuration order.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Records every observation (already validated) at one instant: the outcome of each, in order.</summary>
    public ObservationOutcome[] Record(IReadOnlyList<ObservationRequest> items, IReadOnlyList<ObservationState> states)
    {
        var now = _time.GetUtcNow();
        var outcomes = new ObservationOutcome[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var body = items[i];
            outcomes[i] = _aggregator.Record(body.Source!, ApiNames.Endpoint(body.Endpoint!), body.Target!, states[i], body.Reason, now);
        }

        return outcomes;
    }
}
