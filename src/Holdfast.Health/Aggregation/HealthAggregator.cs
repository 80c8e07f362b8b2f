using System.Collections.Immutable;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
using Holdfast.Health.Monitoring;
using Holdfast.Health.Observations;
using Holdfast.Health.Sources;

namespace Holdfast.Health.Aggregation;

/// <summary>
/// Turns observations from every source into the planner's <see cref="HealthView"/>: a target is down
/// only when a quorum of fresh sources has said down for longer than a grace period; a silent or stale
/// source is unknown, never down; unexpected answers count as neither; new targets get a grace period.
/// The rules are spelled out on <see cref="TargetState.Evaluate"/> (see docs/design/health.md).
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="Record"/>, <see cref="Configure"/> and the evaluation timer mutate state under
/// one lock and then publish an immutable snapshot with a single reference write; <see cref="GetView"/> and
/// <see cref="GetTargetStatuses"/> only read that reference, so they never block and never see a half-applied
/// change. The view is re-evaluated on every accepted observation (for that target), on every
/// <see cref="Configure"/>, and every <see cref="HealthAggregationOptions.EvaluationInterval"/> on the
/// injected <see cref="TimeProvider"/> (so that staleness and grace expiry show without new observations).
/// <see cref="TargetHealth.Since"/> is the evaluation time at which the state changed.
/// </remarks>
public sealed class HealthAggregator : IHealthViewSource, IObservationSink, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HealthSourceOptions> _sources;
    private readonly HealthAggregationOptions _options;
    private readonly TimeProvider _time;
    private readonly IHealthObserver _observer;
    private readonly ITimer _timer;
    private Dictionary<string, TargetState> _targets = new(StringComparer.Ordinal);
    private Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Creates an aggregator with no targets; call <see cref="Configure"/> to add them.</summary>
    /// <exception cref="ArgumentException">The sources or options are invalid; the message lists every problem.</exception>
    public HealthAggregator(IEnumerable<HealthSourceOptions> sources, HealthAggregationOptions options, TimeProvider time, IHealthObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var list = sources.Select(s => s?.Copy()!).ToList();
        options = options.Copy();
        var errors = HealthConfiguration.ValidateSources(list).Concat(options.Validate("health.aggregation")).ToList();
        HealthConfiguration.ThrowIfAny(errors, nameof(sources));
        _sources = list.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _options = options;
        _time = time;
        _observer = observer ?? NullHealthObserver.Instance;
        _timer = time.CreateTimer(_ => Evaluate(), null, options.EvaluationInterval, options.EvaluationInterval);
    }

    /// <inheritdoc />
    public event Action<IReadOnlyList<HealthChange>>? Changed;

    /// <summary>The configured sources, by name (copies taken at construction; changing them changes nothing).</summary>
    public IReadOnlyDictionary<string, HealthSourceOptions> Sources => _sources;

    /// <summary>The targets now configured.</summary>
    public IReadOnlyList<TargetCheck> Checks
    {
        get
        {
            lock (_lock)
            {
                return _targets.Values.Select(t => t.Check).ToList();
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="checks"/> the set of targets, diff-applied: a target not there before is new
    /// (unknown, in its new-target grace); a target still there keeps its state and, for every source that
    /// still votes on it, that source's observations; a target no longer there is forgotten. All or nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A check is invalid; the message lists every problem and nothing changed.</exception>
    public void Configure(IEnumerable<TargetCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var list = checks.ToList();
        HealthConfiguration.ThrowIfAny(HealthConfiguration.ValidateChecks(_sources, list), nameof(checks));
        List<(TargetStatus, HealthState)> changes;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var next = new Dictionary<string, TargetState>(StringComparer.Ordinal);
            foreach (var check in list)
            {
                var voters = HealthConfiguration.VotersOf(_sources, check);
                var quorum = check.Quorum ?? ((voters.Count / 2) + 1);
                if (_targets.TryGetValue(check.Key, out var existing))
                {
                    existing.Check = check;
                    existing.Tracks = voters.Select(s => existing.Find(s.Name) ?? new SourceTrack(s)).ToArray();
                    existing.Quorum = quorum;
                    next[check.Key] = existing;
                }
                else
                {
                    next[check.Key] = new TargetState(check, voters.Select(s => new SourceTrack(s)).ToArray(), quorum, now);
                }
            }

            _targets = next;
            changes = EvaluateAllLocked(now);
        }

        Notify(changes);
    }

    /// <inheritdoc />
    public ObservationOutcome Record(string source, string endpoint, string targetId, ObservationState state, string? reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(targetId);
        if (!Enum.IsDefined(state))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "expected up, down or unexpected");
        }

        if (!_sources.ContainsKey(source))
        {
            return ObservationOutcome.UnknownSource;
        }

        TargetStatus status;
        HealthState? previous;
        lock (_lock)
        {
            if (!_targets.TryGetValue(HealthView.Key(endpoint, targetId), out var target))
            {
                return ObservationOutcome.UnknownTarget;
            }

            if (target.Find(source) is not { } track)
            {
                return ObservationOutcome.SourceNotAssigned;
            }

            var now = _time.GetUtcNow();
            if (!track.Apply(state, reason, at > now ? now : at))
            {
                return ObservationOutcome.OutOfOrder;
            }

            previous = target.Evaluate(now, _options);
            status = target.ToStatus(now, _options.FreshnessIntervals);
            var snapshot = _snapshot;
            Volatile.Write(ref _snapshot, new Snapshot(
                new HealthView(snapshot.View.Targets.SetItem(target.Check.Key, status.Health)),
                snapshot.Statuses.SetItem(target.Check.Key, status)));
        }

        _observer.Observed(source, endpoint, targetId, state, reason);
        if (previous is { } from)
        {
            _observer.TargetHealthChanged(status, from);
            Changed?.Invoke([new HealthChange(endpoint, targetId, from, status.Health)]);
        }

        return ObservationOutcome.Accepted;
    }

    /// <summary>The view as of the last evaluation. Never blocks; an immutable snapshot.</summary>
    public HealthView GetView() => Volatile.Read(ref _snapshot).View;

    /// <summary>Every target with its sources, ordered by key, as of the last evaluation. Never blocks.</summary>
    public ImmutableArray<TargetStatus> GetTargetStatuses() => [.. Volatile.Read(ref _snapshot).Statuses.Values];

    /// <summary>One target's status, or null when it is not configured.</summary>
    public TargetStatus? GetTargetStatus(string endpoint, string targetId) =>
        Volatile.Read(ref _snapshot).Statuses.GetValueOrDefault(HealthView.Key(endpoint, targetId));

    /// <summary>Re-evaluates every target now (the timer does this every <see cref="HealthAggregationOptions.EvaluationInterval"/>).</summary>
    public void Evaluate()
    {
        List<(TargetStatus, HealthState)> changes;
        lock (_lock)
        {
            changes = EvaluateAllLocked(_time.GetUtcNow());
        }

        Notify(changes);
    }

    public void Dispose() => _timer.Dispose();

    private List<(TargetStatus Status, HealthState Previous)> EvaluateAllLocked(DateTimeOffset now)
    {
        var changes = new List<(TargetStatus, HealthState)>();
        var view = ImmutableDictionary.CreateBuilder<string, TargetHealth>(StringComparer.Ordinal);
        var statuses = ImmutableSortedDictionary.CreateBuilder<string, TargetStatus>(StringComparer.Ordinal);
        foreach (var (key, target) in _targets)
        {
            var previous = target.Evaluate(now, _options);
            var status = target.ToStatus(now, _options.FreshnessIntervals);
            view[key] = status.Health;
            statuses[key] = status;
            if (previous is { } from)
            {
                changes.Add((status, from));
            }
        }

        Volatile.Write(ref _snapshot, new Snapshot(new HealthView(view.ToImmutable()), statuses.ToImmutable()));
        return changes;
    }

    private void Notify(List<(TargetStatus Status, HealthState Previous)> changes)
    {
        foreach (var (status, previous) in changes)
        {
            _observer.TargetHealthChanged(status, previous);
        }

        if (changes.Count > 0)
        {
            Changed?.Invoke([.. changes.Select(c => new HealthChange(c.Status.Endpoint, c.Status.TargetId, c.Previous, c.Status.Health))]);
        }
    }

    private sealed record Snapshot(HealthView View, ImmutableSortedDictionary<string, TargetStatus> Statuses)
    {
        public static Snapshot Empty { get; } = new(HealthView.Empty, ImmutableSortedDictionary.Create<string, TargetStatus>(StringComparer.Ordinal));
    }
}
