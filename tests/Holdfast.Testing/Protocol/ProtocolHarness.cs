using System.Globalization;
using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Operations;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Testing.Protocol;

/// <summary>
/// Drives the real planner loop, three real enactors (each parked mid-apply by a <see cref="ParkingStore"/>),
/// cleanups, freezes, rollbacks, crashes and store restarts in an order given by a list of numbers, and
/// checks invariants I1, I2, I3, I5 and I6 of docs/design/architecture.md after every step. Property tests feed it
/// random lists; a failure reports the step log.
/// </summary>
public sealed class ProtocolHarness : IDisposable
{
    public const int Keep = 2;
    private const int EnactorCount = 3;
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(20);

    private readonly Func<TimeProvider, IControlStore> _open;
    private readonly Func<IControlStore, Task> _close;
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
    private readonly FixedHealthViewSource _health = new();
    private readonly EndpointSpec[] _specs =
    [
        Specs.Endpoint("api", targets: 5, policy: new EndpointPolicy(CapacityFloor: 0.4, VelocityLimit: 0.4)),
        Specs.Endpoint("web", targets: 4, policy: new EndpointPolicy(CapacityFloor: 0.5, VelocityLimit: 0.25)),
    ];

    private readonly Enactor[] _enactors = new Enactor[EnactorCount];
    private readonly ParkingStore[] _parking = new ParkingStore[EnactorCount];
    private readonly Task<EnactorPass>?[] _passes = new Task<EnactorPass>?[EnactorCount];
    private readonly Dictionary<string, Generation> _lastApplied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Generation>> _written = new(StringComparer.Ordinal);
    private readonly List<(string Endpoint, Generation Generation, long Revision)> _acknowledged = [];
    private readonly List<string> _log = [];
    private IControlStore _store = null!;
    private PlannerLoop _planner = null!;
    private int _restarts;

    /// <param name="open">Opens the store (again, after a restart) on the given clock.</param>
    /// <param name="close">Closes a store before it is reopened (a process restart).</param>
    public ProtocolHarness(Func<TimeProvider, IControlStore> open, Func<IControlStore, Task>? close = null)
    {
        _open = open;
        _close = close ?? (_ => Task.CompletedTask);
    }

    public IReadOnlyList<string> Log => _log;

    public void Dispose() => _planner?.Dispose();

    /// <summary>Runs the whole schedule, checking invariants after every step; throws with the step log on a violation.</summary>
    public static void Run(int[] schedule, Func<TimeProvider, IControlStore> open, Func<IControlStore, Task>? close = null) =>
        Task.Run(async () =>
        {
            using var harness = new ProtocolHarness(open, close);
            await harness.StartAsync();
            try
            {
                foreach (var op in schedule)
                {
                    await harness.StepAsync(op);
                    await harness.CheckInvariantsAsync();
                }

                await harness.DrainAsync();
                await harness.CheckInvariantsAsync();
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException("schedule [" + string.Join(',', schedule) + "] failed after:\n" + string.Join('\n', harness.Log.TakeLast(40)), ex);
            }
            finally
            {
                await harness.StopAsync();
            }
        }).GetAwaiter().GetResult();

    public async Task StartAsync()
    {
        _store = _open(_time);
        foreach (var spec in _specs)
        {
            await _store.PutEndpointAsync(spec, "harness");
            _written[spec.Name] = [];
        }

        StartWorkers();
    }

    public async Task StopAsync()
    {
        await DrainAsync();
        await _close(_store);
    }

    public async Task StepAsync(int op)
    {
        var kind = op % 11;
        var p = op / 11;
        var spec = _specs[p % _specs.Length];
        var enactor = p % EnactorCount;
        switch (kind)
        {
            case 0:
                var target = spec.Targets[(p / 2) % spec.Targets.Length];
                var down = !_health.View.IsDown(spec.Name, target.Id);
                _health.View = _health.View.With(spec.Name, target.Id, new TargetHealth(down ? HealthState.Down : HealthState.Up, _time.GetUtcNow()));
                Note($"health {spec.Name}/{target.Id} {(down ? "down" : "up")}");
                await PlanAsync();
                break;
            case 1:
                await PlanAsync();
                break;
            case 2:
                if (_passes[enactor] is null)
                {
                    Note($"enactor az{enactor + 1} starts a pass");
                    _passes[enactor] = _enactors[enactor].ReconcileOnceAsync();
                    await SettleAsync(enactor);
                }

                break;
            case 3 or 4 or 5:
                if (_parking[enactor].IsParked)
                {
                    var decision = kind == 3 ? ParkDecision.Proceed : kind == 4 ? ParkDecision.CrashBeforeCommit : ParkDecision.CrashAfterCommit;
                    Note($"enactor az{enactor + 1} apply: {decision}");
                    _parking[enactor].Release(decision);
                    await SettleAsync(enactor);
                }

                break;
            case 6:
                var cleanup = await _store.CleanupAsync(spec.Name, Keep, spec.Policy.Window);
                Note($"cleanup {spec.Name}: deleted {string.Join(' ', cleanup.Deleted)}");
                break;
            case 7:
                await ToggleFreezeAsync((p / 2) % 3 == 0 ? null : spec.Name);
                break;
            case 8:
                var request = new RollbackRequest(spec.Name, null, "property test", "operator", (p / 2) % 2 == 1 ? "drill" : null);
                var (preview, written) = await new ControlPlaneOperations(_store, _time).RollbackAsync(request);
                Note($"rollback {spec.Name}: {(written is null ? "refused: " + preview.Message : "wrote " + written.Generation)}");
                if (written is not null)
                {
                    _written[spec.Name].Add(written.Generation);
                }

                break;
            case 9:
                var resumed = await _planner.ResumeAsync(spec.Name, "operator");
                Note($"resume {spec.Name}: {resumed?.Generation.ToString() ?? "nothing"}");
                if (resumed is not null)
                {
                    _written[spec.Name].Add(resumed.Generation);
                }

                break;
            default:
                if (p % 7 == 0)
                {
                    await RestartAsync();
                }
                else
                {
                    _time.Advance(TimeSpan.FromSeconds((p % 120) + 1));
                    Note($"time +{(p % 120) + 1}s");
                }

                break;
        }
    }

    /// <summary>Lets every parked apply go through and every pass finish, so that a schedule ends quiescent.</summary>
    public async Task DrainAsync()
    {
        for (var i = 0; i < EnactorCount; i++)
        {
            while (_passes[i] is not null)
            {
                if (_parking[i].IsParked)
                {
                    _parking[i].Release(ParkDecision.Proceed);
                }

                await SettleAsync(i);
            }
        }
    }

    /// <summary>Checks I1, I2, I3, I5 and I6; throws <see cref="InvalidOperationException"/> naming the invariant.</summary>
    public async Task CheckInvariantsAsync()
    {
        var feed = await ReadWholeFeedAsync();
        for (var i = 1; i < feed.Count; i++)
        {
            // One batch (one transaction) may apply several endpoints under one revision; revisions never go back.
            Require(feed[i].Revision >= feed[i - 1].Revision, "I6", $"change feed out of order: revision {feed[i].Revision} after {feed[i - 1].Revision}");
        }

        foreach (var spec in _specs)
        {
            var applied = await _store.GetAppliedAsync(spec.Name);
            var changes = feed.Where(c => c.Endpoint == spec.Name).ToList();
            for (var i = 1; i < changes.Count; i++)
            {
                Require(changes[i].Generation > changes[i - 1].Generation, "I2", $"{spec.Name}: feed went from {changes[i - 1].Generation} to {changes[i].Generation}");
            }

            if (applied is null)
            {
                Require(changes.Count == 0, "I6", $"{spec.Name}: feed has applies but nothing is applied");
                continue;
            }

            Require(!applied.Records.IsDefaultOrEmpty, "I1", $"{spec.Name}: applied {applied.Generation} has no records");
            var previous = _lastApplied.GetValueOrDefault(spec.Name, Generation.None);
            Require(applied.Generation >= previous, "I2", $"{spec.Name}: applied generation went from {previous} to {applied.Generation}");
            _lastApplied[spec.Name] = applied.Generation;

            var live = await _store.GetPlanAsync(spec.Name, applied.Generation);
            Require(live is not null, "I3", $"{spec.Name}: the live plan {applied.Generation} was deleted");
            Require(PlanRecordSets.SameRecords(live!.Plan.Records, applied.Records), "I6", $"{spec.Name}: live records differ from plan {applied.Generation} (half-applied)");
            foreach (var newer in _written[spec.Name].Where(g => g > applied.Generation))
            {
                Require(await _store.GetPlanAsync(spec.Name, newer) is not null, "I3", $"{spec.Name}: plan {newer}, newer than live {applied.Generation}, was deleted");
            }

            foreach (var good in changes.Select(c => c.Generation).Where(g => g < applied.Generation).OrderDescending().Take(Keep))
            {
                Require(await _store.GetPlanAsync(spec.Name, good) is not null, "I3", $"{spec.Name}: good plan {good}, one of the last {Keep}, was deleted");
            }

            var stored = await _store.ReadEndpointAsync(spec.Name, EndpointParts.All);
            var recheck = EnactorRecheck.Check(live.Plan, stored, _time.GetUtcNow(), GuardrailRegistry.Default);
            Require(recheck.Verdict != GuardrailVerdict.Refused, "I5", $"{spec.Name}: live plan {applied.Generation} violates a guardrail: {recheck.Reason}");
            if (live.Plan.Override is not null)
            {
                var audit = await _store.ReadAuditAsync(0, int.MaxValue);
                Require(audit.Any(a => a.Action == "guardrail.override" && a.Endpoint == spec.Name && a.Detail.Contains(live.Plan.Generation.ToString(), StringComparison.Ordinal)), "I5", $"{spec.Name}: override of {live.Plan.Generation} not audited");
            }
        }

        foreach (var (endpoint, generation, revision) in _acknowledged)
        {
            var change = feed.FirstOrDefault(c => c.Revision == revision && c.Endpoint == endpoint);
            Require(change is not null && change.Endpoint == endpoint && change.Generation == generation, "I6", $"acknowledged apply of {endpoint} {generation} at revision {revision} is missing");
            var applied = await _store.GetAppliedAsync(endpoint);
            Require(applied is not null && applied.Generation >= generation, "I6", $"acknowledged apply {endpoint} {generation} was lost");
        }
    }

    private async Task<List<AppliedChange>> ReadWholeFeedAsync()
    {
        var all = new List<AppliedChange>();
        var revision = 0L;
        while (true)
        {
            var page = await _store.ReadChangesAsync(revision, 500);
            if (page.Changes.Count == 0)
            {
                return all;
            }

            all.AddRange(page.Changes.OfType<AppliedChange>());
            revision = page.Revision;
        }
    }

    private async Task PlanAsync()
    {
        var pass = await _planner.RunOnceAsync();
        foreach (var plan in pass.Written)
        {
            _written[plan.Endpoint].Add(plan.Generation);
        }

        Note("planner wrote " + (pass.Written.Count == 0 ? "nothing" : string.Join(' ', pass.Written.Select(p => $"{p.Endpoint}{p.Generation}[{string.Join(',', p.Records.Select(r => r.TargetId))}]"))));
    }

    private async Task ToggleFreezeAsync(string? endpoint)
    {
        var state = await _store.GetFreezeAsync();
        var frozen = endpoint is null ? state.Global is not null : state.Endpoints.ContainsKey(endpoint);
        if (frozen)
        {
            await _store.ClearFreezeAsync(endpoint, "property test", "operator");
        }
        else
        {
            await _store.SetFreezeAsync(endpoint, "property test", "operator");
        }

        Note($"{(frozen ? "unfreeze" : "freeze")} {endpoint ?? "all"}");
    }

    private async Task RestartAsync()
    {
        // Every in-flight enactor dies before its apply reaches the store; then the process restarts.
        for (var i = 0; i < EnactorCount; i++)
        {
            while (_passes[i] is not null)
            {
                if (_parking[i].IsParked)
                {
                    _parking[i].Release(ParkDecision.CrashBeforeCommit);
                }

                await SettleAsync(i);
            }
        }

        _planner.Dispose();
        await _close(_store);
        _store = _open(_time);
        StartWorkers();
        Note($"restart #{++_restarts}: store reopened, planner and enactors new");
    }

    private void StartWorkers()
    {
        var seed = _restarts * 100;
        _planner = new PlannerLoop(_store, _health, new PlannerOptions(), _time, new Random(seed));
        for (var i = 0; i < EnactorCount; i++)
        {
            var (store, parking) = ParkingStore.Create(_store);
            _parking[i] = parking;
            _enactors[i] = new Enactor("az" + (i + 1).ToString(CultureInfo.InvariantCulture), store, new EnactorOptions { KeepPlans = Keep }, _time, new Random(seed + i + 1));
        }
    }

    private async Task SettleAsync(int enactor)
    {
        var pass = _passes[enactor];
        if (pass is null)
        {
            return;
        }

        await Task.WhenAny(pass, _parking[enactor].WhenParked()).WaitAsync(s_settle);
        if (!pass.IsCompleted)
        {
            return;
        }

        _passes[enactor] = null;
        var result = await pass;
        foreach (var step in result.Steps)
        {
            if (step.Outcome is { Status: ApplyStatus.Applied } outcome)
            {
                _acknowledged.Add((step.Endpoint, step.Generation, outcome.Revision));
            }

            Note($"  az{enactor + 1} {step.Endpoint} {step.Generation}: {step.Outcome?.Status.ToString() ?? step.Refusal ?? step.Error?.Message}");
        }
    }

    private void Note(string line) => _log.Add($"{_time.GetUtcNow():HH:mm:ss} {line}");

    private static void Require(bool condition, string invariant, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{invariant} violated: {message}");
        }
    }
}
