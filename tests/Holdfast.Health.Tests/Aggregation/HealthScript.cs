using System.Globalization;
using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Observations;
using Holdfast.Health.Sources;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Health.Tests.Aggregation;

/// <summary>
/// Aggregation rules as data: a script of steps "T: a=D b=U c=X => Down", where T is seconds since the
/// start, each a=S is source a observing Up, Down or eXpected-not (unexpected) at T, and "=> State" is the
/// target's aggregated state after the step. A step with no observations just lets the clock run (the
/// aggregator's timer re-evaluates). Sources are external (reporting every 5 s, fresh for 3 × 5 s).
/// </summary>
internal sealed class HealthScript : IDisposable
{
    public const string Endpoint = "api.svc.example.";
    public const string Target = "t1";

    private readonly DateTimeOffset _start;

    public HealthScript(
        IReadOnlyList<string> sources,
        int rise = 1,
        int fall = 1,
        int? quorum = null,
        int newTargetGraceSeconds = 0,
        int downGraceSeconds = 10)
    {
        Time = new FakeTimeProvider(TestTime.IncidentStart);
        _start = Time.GetUtcNow();
        Aggregator = new HealthAggregator(
            sources.Select(s => new HealthSourceOptions { Name = s, Kind = HealthSourceKind.External, Interval = TimeSpan.FromSeconds(5), Jitter = 0, Rise = rise, Fall = fall }),
            new HealthAggregationOptions
            {
                FreshnessIntervals = 3,
                DownGrace = TimeSpan.FromSeconds(downGraceSeconds),
                NewTargetGrace = TimeSpan.FromSeconds(newTargetGraceSeconds),
            },
            Time);
        Aggregator.Configure([new TargetCheck(Endpoint, Target) { Sources = [.. sources], Quorum = quorum }]);
    }

    public FakeTimeProvider Time { get; }

    public HealthAggregator Aggregator { get; }

    public HealthState State => Aggregator.GetView().Find(Endpoint, Target)?.State ?? HealthState.Unknown;

    public TargetStatus Status => Aggregator.GetTargetStatus(Endpoint, Target)!;

    /// <summary>Runs every step, asserting each expected state with the step and the aggregator's reason.</summary>
    public void Run(string script)
    {
        foreach (var step in script.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (body, expected) = step.Split("=>", StringSplitOptions.TrimEntries) switch
            {
                [var b] => (b, (HealthState?)null),
                [var b, var e] => (b, Enum.Parse<HealthState>(e)),
                _ => throw new FormatException($"step '{step}': expected 'T: observations [=> State]'"),
            };
            var colon = body.IndexOf(':', StringComparison.Ordinal);
            var at = _start + TimeSpan.FromSeconds(double.Parse(body[..colon], CultureInfo.InvariantCulture));
            var elapsed = at - Time.GetUtcNow();
            if (elapsed < TimeSpan.Zero)
            {
                throw new FormatException($"step '{step}': time goes backwards");
            }

            Time.Advance(elapsed);
            foreach (var observation in body[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var (source, state) = observation.Split('=') switch
                {
                    [var s, "U"] => (s, ObservationState.Up),
                    [var s, "D"] => (s, ObservationState.Down),
                    [var s, "X"] => (s, ObservationState.Unexpected),
                    _ => throw new FormatException($"step '{step}': observation '{observation}' is not source=U|D|X"),
                };
                Aggregator.Record(source, Endpoint, Target, state, state == ObservationState.Up ? null : "scripted", at)
                    .ShouldBe(ObservationOutcome.Accepted, $"step '{step}'");
            }

            if (expected is { } want)
            {
                State.ShouldBe(want, $"after step '{step}': {Status.Reason}");
            }
        }
    }

    public void Dispose() => Aggregator.Dispose();
}
