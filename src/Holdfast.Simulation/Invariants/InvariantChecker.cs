using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Simulation.World;

namespace Holdfast.Simulation.Invariants;

/// <summary>
/// Checks I1, I2, I3 and I5 against the store after every event that may have changed it (every mutation
/// marks the checker dirty), and I4 when asked. It reads the store underneath every fault, so what it sees
/// is the truth, not a component's view. A violation is recorded once per episode (when it starts).
/// </summary>
/// <remarks>
/// <code>
/// invariant          checked as
/// I1 never empty     an endpoint with an enabled target, once answered, never resolves to zero addresses
/// I2 monotonic       the applied generation of an endpoint never decreases
/// I3 live survives   a plan that disappears is below the applied one and not among the newest K good ones
/// I5 guarded         each newly applied plan keeps the capacity floor of enabled targets (or carries an override)
/// I4 convergence     (on request) the applied plan is the latest valid one written before the settle time
/// </code>
/// </remarks>
public sealed class InvariantChecker(IControlStore store, IAnswerSource answers, Func<IReadOnlyList<EndpointSpec>> specs, int keep, Func<TimeSpan> elapsed, Func<int> logIndex)
{
    private readonly Dictionary<string, EndpointTrack> _tracks = new(StringComparer.Ordinal);
    private readonly List<Violation> _violations = [];
    private bool _dirty = true;

    public IReadOnlyList<Violation> Violations => _violations;

    /// <summary>Raised when an endpoint's live state changed (a new generation or new records).</summary>
    public event Action<AppliedState>? AppliedChanged;

    /// <summary>True once some endpoint served an empty answer.</summary>
    public bool EmptyAnswerObserved { get; private set; }

    public void MarkDirty() => _dirty = true;

    public void Record(string invariant, string? endpoint, string detail) =>
        _violations.Add(new Violation(invariant, elapsed(), endpoint, detail, logIndex()));

    /// <summary>Checks I1, I2, I3, I5 if anything may have changed since the last check.</summary>
    public void CheckIfDirty()
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        foreach (var spec in specs())
        {
            CheckEndpoint(spec);
        }
    }

    /// <summary>
    /// I4: every endpoint's applied plan is its latest valid plan, unless that plan was first seen less than
    /// <paramref name="settle"/> ago (enactors need a pass to pick it up), and its answer is not empty.
    /// </summary>
    public void CheckConvergence(TimeSpan settle)
    {
        CheckIfDirty();
        foreach (var spec in specs())
        {
            var applied = Read(store.GetAppliedAsync(spec.Name));
            var latest = Read(store.ListPlansAsync(spec.Name)).LastOrDefault(p => !p.IsRejected);
            var track = TrackOf(spec.Name);
            if (latest is null)
            {
                continue;
            }

            var seen = track.FirstSeen.GetValueOrDefault(latest.Plan.Generation.Value, elapsed());
            if (applied is null || applied.Records.IsEmpty || (applied.Generation < latest.Plan.Generation && elapsed() - seen >= settle))
            {
                Record(InvariantNames.Convergence, spec.Name, $"not converged: applied {applied?.Generation.ToString() ?? "none"} ({applied?.Records.Length ?? 0} records), latest valid plan {latest.Plan.Generation} seen at {seen.TotalSeconds:0.0}s");
            }
        }
    }

    private void CheckEndpoint(EndpointSpec spec)
    {
        var track = TrackOf(spec.Name);
        var applied = Read(store.GetAppliedAsync(spec.Name));
        var plans = Read(store.ListPlansAsync(spec.Name));
        var present = new HashSet<long>(plans.Select(p => p.Plan.Generation.Value));
        foreach (var g in present)
        {
            track.FirstSeen.TryAdd(g, elapsed());
        }

        foreach (var p in plans.Where(p => p.WasApplied))
        {
            track.AppliedOnce.Add(p.Plan.Generation.Value);
        }

        var gen = applied?.Generation.Value ?? 0;
        if (applied is not null)
        {
            track.AppliedOnce.Add(gen);
        }

        // I3: judge each plan that vanished since the last check against the rules of CleanupPolicy.
        var vanished = track.Present.Where(g => !present.Contains(g)).Order().ToList();
        if (vanished.Count > 0)
        {
            var protectedGood = track.AppliedOnce.Where(g => g < gen && (present.Contains(g) || vanished.Contains(g))).OrderDescending().Take(keep).ToHashSet();
            foreach (var g in vanished)
            {
                if (g >= gen || protectedGood.Contains(g))
                {
                    Record(InvariantNames.LivePlansSurvive, spec.Name, $"plan g{g} deleted while applied is g{gen} (keep {keep})");
                }
            }
        }

        track.Present = present;
        if (applied is null)
        {
            return;
        }

        // I2
        if (gen < track.LastGeneration && gen != track.LastObserved)
        {
            Record(InvariantNames.Monotonic, spec.Name, $"applied generation went back from g{track.LastGeneration} to g{gen} (by {applied.AppliedBy})");
        }

        // I1, once per episode, on what a client would resolve through the DNS query engine, and on the applied
        // state itself: Holdfast's server keeps the last good answer, which would hide an empty apply from
        // clients, so an empty applied state is a violation even when no client sees it.
        var answerEmpty = answers.Resolve(spec.Name) is { Count: 0 };
        var empty = (answerEmpty || applied.Records.IsEmpty) && spec.EnabledTargets.Any();
        if (empty && !track.Empty)
        {
            EmptyAnswerObserved |= answerEmpty;
            var what = answerEmpty ? "a client resolving it gets no address" : "its applied state has no records (the DNS server keeps the last good answer)";
            Record(InvariantNames.NeverEmpty, spec.Name, $"{what} (applied g{gen}, plan present: {present.Contains(gen)})");
        }

        track.Empty = empty;

        // I3 also covers a live plan that is missing however it went.
        var missing = !present.Contains(gen);
        if (missing && !track.LiveMissing)
        {
            Record(InvariantNames.LivePlansSurvive, spec.Name, $"live plan g{gen} is missing from the store");
        }

        track.LiveMissing = missing;

        if (gen != track.LastGeneration || applied.Revision != track.LastRevision)
        {
            // I5: a newly applied plan keeps the floor of enabled capacity unless an operator overrode it.
            if (gen != track.LastGeneration && !applied.Records.IsEmpty)
            {
                var entry = plans.FirstOrDefault(p => p.Plan.Generation.Value == gen);
                var enabled = spec.EnabledTargets.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
                var capacity = applied.Records.Where(r => enabled.Contains(r.TargetId)).Sum(r => (long)r.Capacity);
                // The oracle's own arithmetic, not the guardrail's: a wrong floor in the code under test must not hide here.
                var floor = (long)Math.Ceiling(spec.Policy.CapacityFloor * spec.EnabledCapacity);
                if (capacity < floor && entry?.Plan.Override is null)
                {
                    Record(InvariantNames.Guarded, spec.Name, $"applied g{gen} with capacity {capacity} below the floor {floor}");
                }
            }

            track.LastGeneration = Math.Max(track.LastGeneration, gen);
            track.LastObserved = gen;
            track.LastRevision = applied.Revision;
            AppliedChanged?.Invoke(applied);
        }
    }

    private EndpointTrack TrackOf(string endpoint)
    {
        if (!_tracks.TryGetValue(endpoint, out var track))
        {
            track = new EndpointTrack();
            _tracks[endpoint] = track;
        }

        return track;
    }

    // The stores under simulation complete synchronously; a pending task here would be a bug in the harness.
    private static T Read<T>(Task<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("the simulated store must complete synchronously");

    private sealed class EndpointTrack
    {
        public long LastGeneration { get; set; }

        public long LastObserved { get; set; }

        public long LastRevision { get; set; }

        public bool Empty { get; set; }

        public bool LiveMissing { get; set; }

        public HashSet<long> Present { get; set; } = [];

        public HashSet<long> AppliedOnce { get; } = [];

        public Dictionary<long, TimeSpan> FirstSeen { get; } = [];
    }
}
