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
/// Thread-safety: <see cref="Record"/>, <see cref="Configure"/>, <see cref="ConfigureEndpoints"/> and the deadline
/// timer mutate state under one lock and then publish an immutable snapshot with a single reference write;
/// <see cref="GetView"/> and <see cref="GetTargetStatuses"/> only read that reference, so they never block and
/// never see a half-applied change.
/// Cost: a target is re-evaluated on an accepted observation for it, when its checks change, and at its own
/// deadline — the moment its state could change without a new observation (a source going stale, a down grace
/// or the new-target grace running out; <see cref="TargetState.NextDeadline"/>). The deadlines wait in one
/// priority queue behind one timer armed for the earliest, on the injected <see cref="TimeProvider"/>: with
/// nothing observed and nothing due, nothing runs, whatever the number of targets, and a grace that runs out
/// shows at that instant rather than on the next tick of a periodic sweep. Only <see cref="Configure"/> (the
/// whole set) and <see cref="Evaluate"/> touch every target.
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
    private readonly Dictionary<string, TargetState> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _keysByEndpoint = new(StringComparer.Ordinal);

    // Lazy deletion: a target rescheduled leaves its old entry behind; an entry counts only while it equals the
    // target's Deadline. Rebuilt when stale entries outnumber live ones, so memory stays O(targets).
    private readonly PriorityQueue<string, DateTimeOffset> _deadlines = new();
    private DateTimeOffset? _timerDueAt;

    // Targets per (source, opinion) and per aggregated state ("aggregate"), kept in step with every status published,
    // so that a metrics scrape reads a few counters instead of walking every target.
    private readonly Dictionary<(string Source, string State), int> _counts = [];
    private Snapshot _snapshot = Snapshot.Empty;
    private bool _disposed;

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
        _timer = time.CreateTimer(_ => OnDeadline(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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

    /// <summary>Targets waiting for a deadline now (stale queue entries not counted): for tests and status.</summary>
    public int PendingDeadlines
    {
        get
        {
            lock (_lock)
            {
                return _targets.Values.Count(t => t.Deadline is not null);
            }
        }
    }

    /// <summary>The check of one target key (<see cref="HealthView.Key"/>), or null when it is not configured.</summary>
    public TargetCheck? FindCheck(string key)
    {
        lock (_lock)
        {
            return _targets.TryGetValue(key, out var target) ? target.Check : null;
        }
    }

    /// <summary>The keys of every target of <paramref name="endpoint"/> now configured.</summary>
    public IReadOnlyList<string> KeysOf(string endpoint)
    {
        lock (_lock)
        {
            return _keysByEndpoint.TryGetValue(endpoint, out var keys) ? [.. keys] : [];
        }
    }

    /// <summary>
    /// Makes <paramref name="checks"/> the set of targets, diff-applied: a target not there before is new
    /// (unknown, in its new-target grace); a target still there keeps its state and, for every source that
    /// still votes on it, that source's observations; a target no longer there is forgotten. All or nothing.
    /// Touches every target: use <see cref="ConfigureEndpoints"/> for a change to a few endpoints.
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
            var wanted = list.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var key in _targets.Keys.Where(k => !wanted.Contains(k)).ToList())
            {
                RemoveLocked(key);
            }

            foreach (var check in list)
            {
                UpsertLocked(check, now);
            }

            changes = EvaluateAllLocked(now);
        }

        Notify(changes);
    }

    /// <summary>
    /// Replaces the targets of <paramref name="endpoints"/> only with <paramref name="checks"/> (each of which must
    /// belong to one of them), with the same diff rules as <see cref="Configure"/>; every other target is left
    /// alone. O(targets of these endpoints × log targets). All or nothing.
    /// </summary>
    /// <returns>The keys of every target added, changed, kept or removed: what a prober must reconcile.</returns>
    /// <exception cref="ArgumentException">A check is invalid or belongs to another endpoint; nothing changed.</exception>
    public IReadOnlyList<string> ConfigureEndpoints(IReadOnlyCollection<string> endpoints, IEnumerable<TargetCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(checks);
        var list = checks.ToList();
        var scope = endpoints.ToHashSet(StringComparer.Ordinal);
        var errors = HealthConfiguration.ValidateChecks(_sources, list).ToList();
        errors.AddRange(list.Where(c => !scope.Contains(c.Endpoint)).Select(c => $"target '{c.Key}': endpoint '{c.Endpoint}' is not among the endpoints being configured"));
        HealthConfiguration.ThrowIfAny(errors, nameof(checks));
        List<(TargetStatus, HealthState)> changes = [];
        var touched = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var wanted = list.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            var view = _snapshot.View.Targets.ToBuilder();
            var statuses = _snapshot.Statuses.ToBuilder();
            foreach (var endpoint in scope)
            {
                foreach (var key in _keysByEndpoint.GetValueOrDefault(endpoint) ?? [])
                {
                    touched.Add(key);
                }
            }

            foreach (var key in touched.Where(k => !wanted.Contains(k)).ToList())
            {
                RemoveLocked(key);
                view.Remove(key);
                CountLocked(statuses.GetValueOrDefault(key), null);
                statuses.Remove(key);
            }

            foreach (var check in list)
            {
                touched.Add(check.Key);
                EvaluateLocked(UpsertLocked(check, now), now, view, statuses, changes);
            }

            Volatile.Write(ref _snapshot, new Snapshot(new HealthView(view.ToImmutable()), statuses.ToImmutable()));
        }

        Notify(changes);
        return [.. touched];
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
            ScheduleLocked(target, now);
            var snapshot = _snapshot;
            CountLocked(snapshot.Statuses.GetValueOrDefault(target.Check.Key), status);
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

    /// <summary>
    /// How many targets each source holds in each opinion (up, down, unknown, unexpected), and with source "aggregate" how
    /// many are in each aggregated state. O(sources × states): counted as statuses change, not on each call.
    /// </summary>
    public IReadOnlyList<(string Source, string State, int Targets)> CountTargets()
    {
        lock (_lock)
        {
            return [.. _counts.Where(c => c.Value > 0).Select(c => (c.Key.Source, c.Key.State, c.Value))];
        }
    }

    /// <summary>Re-evaluates every target now. Deadlines make this unnecessary for correctness; it refreshes every status's reason text.</summary>
    public void Evaluate()
    {
        List<(TargetStatus, HealthState)> changes;
        lock (_lock)
        {
            changes = EvaluateAllLocked(_time.GetUtcNow());
        }

        Notify(changes);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    private TargetState UpsertLocked(TargetCheck check, DateTimeOffset now)
    {
        var voters = HealthConfiguration.VotersOf(_sources, check);
        var quorum = check.Quorum ?? ((voters.Count / 2) + 1);
        if (_targets.TryGetValue(check.Key, out var existing))
        {
            existing.Check = check;
            existing.Tracks = voters.Select(s => existing.Find(s.Name) ?? new SourceTrack(s)).ToArray();
            existing.Quorum = quorum;
            return existing;
        }

        var added = new TargetState(check, voters.Select(s => new SourceTrack(s)).ToArray(), quorum, now);
        _targets[check.Key] = added;
        if (!_keysByEndpoint.TryGetValue(check.Endpoint, out var keys))
        {
            _keysByEndpoint[check.Endpoint] = keys = new HashSet<string>(StringComparer.Ordinal);
        }

        keys.Add(check.Key);
        return added;
    }

    private void RemoveLocked(string key)
    {
        if (!_targets.Remove(key, out var removed))
        {
            return;
        }

        removed.Deadline = null;
        if (_keysByEndpoint.TryGetValue(removed.Check.Endpoint, out var keys) && keys.Remove(key) && keys.Count == 0)
        {
            _keysByEndpoint.Remove(removed.Check.Endpoint);
        }
    }

    private void EvaluateLocked(
        TargetState target,
        DateTimeOffset now,
        ImmutableDictionary<string, TargetHealth>.Builder view,
        ImmutableSortedDictionary<string, TargetStatus>.Builder statuses,
        List<(TargetStatus, HealthState)> changes)
    {
        var previous = target.Evaluate(now, _options);
        var status = target.ToStatus(now, _options.FreshnessIntervals);
        view[target.Check.Key] = status.Health;
        CountLocked(statuses.GetValueOrDefault(target.Check.Key), status);
        statuses[target.Check.Key] = status;
        ScheduleLocked(target, now);
        if (previous is { } from)
        {
            changes.Add((status, from));
        }
    }

    private List<(TargetStatus Status, HealthState Previous)> EvaluateAllLocked(DateTimeOffset now)
    {
        var changes = new List<(TargetStatus, HealthState)>();
        var view = ImmutableDictionary.CreateBuilder<string, TargetHealth>(StringComparer.Ordinal);
        var statuses = ImmutableSortedDictionary.CreateBuilder<string, TargetStatus>(StringComparer.Ordinal);
        _deadlines.Clear();
        _counts.Clear();
        foreach (var target in _targets.Values)
        {
            target.Deadline = null;
            EvaluateLocked(target, now, view, statuses, changes);
        }

        Volatile.Write(ref _snapshot, new Snapshot(new HealthView(view.ToImmutable()), statuses.ToImmutable()));
        return changes;
    }

    private void CountLocked(TargetStatus? removed, TargetStatus? added)
    {
        void Add(TargetStatus status, int delta)
        {
            foreach (var source in status.Sources)
            {
                var key = (source.Source, StateName(source.Opinion));
                _counts[key] = _counts.GetValueOrDefault(key) + delta;
            }

            var aggregate = ("aggregate", StateName(status.Health.State));
            _counts[aggregate] = _counts.GetValueOrDefault(aggregate) + delta;
        }

        if (removed is not null)
        {
            Add(removed, -1);
        }

        if (added is not null)
        {
            Add(added, +1);
        }
    }

    private static string StateName<T>(T state)
        where T : struct, Enum => state.ToString().ToLowerInvariant();

    private void ScheduleLocked(TargetState target, DateTimeOffset now)
    {
        var next = target.NextDeadline(now, _options);
        if (next == target.Deadline)
        {
            return;
        }

        target.Deadline = next;
        if (next is not { } due)
        {
            return;
        }

        if (_deadlines.Count > (2 * _targets.Count) + 1024)
        {
            // Mostly stale entries: rebuild from the live deadlines (amortised O(1) per schedule).
            _deadlines.Clear();
            foreach (var live in _targets.Values)
            {
                if (live.Deadline is { } at)
                {
                    _deadlines.Enqueue(live.Check.Key, at);
                }
            }
        }
        else
        {
            _deadlines.Enqueue(target.Check.Key, due);
        }

        if (_timerDueAt is null || due < _timerDueAt)
        {
            ArmLocked(due, now);
        }
    }

    private void ArmLocked(DateTimeOffset due, DateTimeOffset now)
    {
        if (_disposed)
        {
            return;
        }

        _timerDueAt = due;
        var wait = due - now;
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnDeadline()
    {
        List<(TargetStatus, HealthState)> changes = [];
        lock (_lock)
        {
            _timerDueAt = null;
            var now = _time.GetUtcNow();
            ImmutableDictionary<string, TargetHealth>.Builder? view = null;
            ImmutableSortedDictionary<string, TargetStatus>.Builder? statuses = null;
            while (_deadlines.TryPeek(out var key, out var due) && due <= now)
            {
                _deadlines.Dequeue();
                if (!_targets.TryGetValue(key, out var target) || target.Deadline != due)
                {
                    continue;
                }

                target.Deadline = null;
                view ??= _snapshot.View.Targets.ToBuilder();
                statuses ??= _snapshot.Statuses.ToBuilder();
                EvaluateLocked(target, now, view, statuses, changes);
            }

            if (view is not null)
            {
                Volatile.Write(ref _snapshot, new Snapshot(new HealthView(view.ToImmutable()), statuses!.ToImmutable()));
            }

            // The earliest entry may be stale; waking for it costs one pop, and it is gone after.
            if (_deadlines.TryPeek(out _, out var nextDue) && (_timerDueAt is null || nextDue < _timerDueAt))
            {
                ArmLocked(nextDue, now);
            }
        }

        Notify(changes);
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
