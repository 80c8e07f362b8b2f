using System.Collections.Immutable;
using System.Net;
using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Operations;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.Simulation.Faults;
using Holdfast.Simulation.Invariants;
using Holdfast.Simulation.Legacy;
using Holdfast.Simulation.Scheduling;

namespace Holdfast.Simulation.World;

/// <summary>
/// One simulated deployment: the real planner loop and enactors (or the legacy enactors) over one store,
/// each component behind its own fault sites and clock, a scripted health feed, an operator, and the
/// invariant checker run after every event. Everything random comes from children of one seeded
/// <see cref="Random"/>, created in a fixed order, so one seed is one schedule.
/// </summary>
/// <remarks>Single-threaded: build it, script it with <see cref="At"/>, then <see cref="Run"/> it once.</remarks>
public sealed class SimulationWorld
{
    /// <summary>The virtual start: the night of the incident.</summary>
    public static readonly DateTimeOffset StartTime = new(2025, 10, 19, 23, 48, 0, TimeSpan.Zero);

    private readonly Random _root;
    private readonly WorldOptions _options;
    private readonly List<ComponentSlot> _enactors = [];
    private readonly ComponentSlot _planner;
    private readonly FaultyControlStore _operator;
    private readonly ComponentSlot _dns = new("dns");
    private readonly List<TaskCompletionSource> _holds = [];
    private PlannerLoop? _plannerLoop;
    private FaultyHealthSource? _plannerHealth;

    public SimulationWorld(WorldOptions options, Protocol protocol, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Protocol = protocol;
        Seed = seed;
        _root = new Random(seed);
        Scheduler = new SimulationScheduler(StartTime);
        Time = new SimulatedTimeProvider(Scheduler);
        Log = new EventLog(() => Scheduler.Elapsed);
        Observer = new SimulationObserver(Log, () => Scheduler.Elapsed);
        Store = protocol == Protocol.Fenced ? new InMemoryControlStore(Time) : new LegacyControlStore(Time);
        Specs = BuildSpecs(options);
        Health = new SimulatedHealthSource(Time);
        var dnsStore = new FaultyControlStore(Store, _dns.Faults, Time, NextRandom(), onFeedFault: site => Fault(site, "dns", "change feed of the DNS server"));
        Answers = new DnsAnswerSource(dnsStore, Time, NextRandom(), lastGoodAnswerRule: protocol == Protocol.Fenced);
        Checker = new InvariantChecker(Store, Answers, () => Specs, options.KeepPlans, () => Scheduler.Elapsed, () => Log.Count);
        foreach (var apex in Specs.Select(s => s.Zone).Distinct(StringComparer.Ordinal))
        {
            Store.PutZoneAsync(new ZoneSpec(apex, new SoaValues("ns1." + apex, "hostmaster." + apex), ["ns1." + apex]), "operator").GetAwaiter().GetResult();
        }

        foreach (var spec in Specs)
        {
            Store.PutEndpointAsync(spec, "operator").GetAwaiter().GetResult();
            foreach (var t in spec.Targets)
            {
                Health.Set(spec.Name, t.Id, HealthState.Up);
            }
        }

        _operator = new FaultyControlStore(Store, new ComponentFaults("operator"), Time, NextRandom(), Checker.MarkDirty);
        for (var i = 0; i < options.Enactors; i++)
        {
            _enactors.Add(new ComponentSlot("az" + (i + 1)));
        }

        _planner = new ComponentSlot("planner");
    }

    public Protocol Protocol { get; }

    public int Seed { get; }

    public SimulationScheduler Scheduler { get; }

    public SimulatedTimeProvider Time { get; }

    public EventLog Log { get; }

    public SimulationObserver Observer { get; }

    public IControlStore Store { get; }

    public IReadOnlyList<EndpointSpec> Specs { get; }

    public SimulatedHealthSource Health { get; }

    public InvariantChecker Checker { get; }

    /// <summary>What clients resolve (the seam the DNS query engine will plug into).</summary>
    public IAnswerSource Answers { get; }

    public IReadOnlyList<ComponentSlot> Enactors => _enactors;

    public ComponentSlot Planner => _planner;

    /// <summary>The DNS server's link to the store (its change feed may disconnect or deliver twice; it never crashes here).</summary>
    public ComponentSlot Dns => _dns;

    /// <summary>Fault sites that fired, by name.</summary>
    public SortedDictionary<string, int> FaultsInjected { get; } = new(StringComparer.Ordinal);

    /// <summary>Samples every 5 virtual seconds: per endpoint, records answered and applied generation.</summary>
    public List<(TimeSpan At, string Endpoint, int Answers, long Generation)> Samples { get; } = [];

    /// <summary>A child random source; call order is fixed by the script, so children are reproducible.</summary>
    public Random NextRandom() => new(_root.Next());

    public ComponentSlot Enactor(int index) => _enactors[index];

    /// <summary>Runs <paramref name="action"/> at virtual time <paramref name="at"/> since the start.</summary>
    public void At(TimeSpan at, Action action) => Scheduler.Schedule(at - Scheduler.Elapsed, action);

    public void Fault(string site, string actor, string text)
    {
        FaultsInjected[site] = FaultsInjected.GetValueOrDefault(site) + 1;
        Log.Add(actor, $"fault {site}: {text}");
    }

    /// <summary>Starts the planner and every enactor at time zero, and sampling for the report.</summary>
    public void StartAll()
    {
        StartPlanner(null);
        foreach (var slot in _enactors)
        {
            StartEnactor(slot);
        }

        Sample();
    }

    public void StartEnactor(ComponentSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (slot.Running)
        {
            return;
        }

        var cancel = new CancellationTokenSource();
        slot.Start(cancel);
        var time = new SkewedTimeProvider(Time, slot.Skew);
        var store = new FaultyControlStore(Store, slot.Faults, time, NextRandom(), Checker.MarkDirty, site => Fault(site, slot.Name, "change feed"));
        var random = NextRandom();
        Log.Add(slot.Name, $"start (restart {slot.Restarts}, skew {slot.Skew.TotalSeconds:0}s)");
        if (Protocol == Protocol.Fenced)
        {
            var enactor = new Enactor(slot.Name, store, new EnactorOptions { FullPassInterval = _options.FullPassInterval, KeepPlans = _options.KeepPlans }, time, random, Observer);
            Scheduler.Post(() => _ = enactor.RunAsync(cancel.Token));
        }
        else
        {
            var enactor = new LegacyEnactor(slot.Name, store, (LegacyControlStore)Store, _options.PassInterval, time, random, Observer);
            Scheduler.Post(() => _ = enactor.RunAsync(cancel.Token));
        }
    }

    /// <param name="staleFor">When set, the restarted planner sees the health view of this long ago, for this long.</param>
    public void StartPlanner(TimeSpan? staleFor)
    {
        if (_planner.Running)
        {
            return;
        }

        var cancel = new CancellationTokenSource();
        _planner.Start(cancel);
        var time = new SkewedTimeProvider(Time, _planner.Skew);
        var store = new FaultyControlStore(Store, _planner.Faults, time, NextRandom(), Checker.MarkDirty, site => Fault(site, "planner", "change feed"));
        IHealthViewSource health = Health;
        if (staleFor is { } stale)
        {
            health = new StaleHealthSource(Health, Health.ViewAt(Time.GetUtcNow() - stale), Time, Time.GetUtcNow() + stale);
            Fault(FaultSites.StalePlannerRestart, "planner", $"restarts with the health view of {stale.TotalSeconds:0}s ago");
        }

        Log.Add("planner", $"start (restart {_planner.Restarts}, skew {_planner.Skew.TotalSeconds:0}s)");
        _plannerHealth?.Detach();
        _plannerHealth = new FaultyHealthSource(health, _planner.Faults, NextRandom(), site => Fault(site, "planner", "a health change event"));
        var loop = new PlannerLoop(store, _plannerHealth, new PlannerOptions { FullPassInterval = _options.FullPassInterval }, time, NextRandom(), Observer);
        _plannerLoop = loop;
        Scheduler.Post(() => _ = loop.RunAsync(cancel.Token));
    }

    /// <summary>Crashes a component: its pending calls and timers die; nothing it held in memory survives.</summary>
    public void Crash(ComponentSlot slot, string site)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (!slot.Running)
        {
            return;
        }

        Fault(site, slot.Name, "crash");
        slot.Stop();
    }

    /// <summary>The next apply of <paramref name="slot"/> stalls just before commit until the returned source is set (or the heal).</summary>
    public TaskCompletionSource HoldNextApply(ComponentSlot slot, string why)
    {
        ArgumentNullException.ThrowIfNull(slot);
        var gate = new TaskCompletionSource();
        _holds.Add(gate);
        slot.Faults.HoldNextApply = gate.Task;
        Fault(FaultSites.LongPause, slot.Name, why);
        return gate;
    }

    /// <summary>The newest plan generation of the endpoint in the store (None when there is none).</summary>
    public Generation LatestPlanGeneration(string endpoint) =>
        Store.ListPlansAsync(endpoint).GetAwaiter().GetResult() is { Count: > 0 } plans ? plans[^1].Plan.Generation : Generation.None;

    public void SetHealth(string endpoint, string targetId, HealthState state)
    {
        if (Health.Set(endpoint, targetId, state))
        {
            Log.Add("health", $"{endpoint}/{targetId} {state}");
        }
    }

    public void Freeze(string? endpoint, string reason) =>
        Scheduler.Post(() => _ = Swallow(_operator.SetFreezeAsync(endpoint, reason, "operator")));

    public void Unfreeze(string? endpoint) =>
        Scheduler.Post(() => _ = Swallow(_operator.ClearFreezeAsync(endpoint, "simulation", "operator")));

    /// <summary>A buggy or rogue writer puts a plan below the capacity floor straight into the store (the enactor re-check must refuse it).</summary>
    public void WriteRoguePlan(EndpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Fault(FaultSites.RogueWriter, "rogue", $"writes a one-record plan for {spec.Name}");
        Scheduler.Post(() => _ = Swallow(WriteRogueAsync(spec)));
    }

    /// <summary>
    /// An operator rolls the endpoint back to its last good plan through the real operations API (a new plan
    /// with old records, through the guardrails; with <paramref name="overrideReason"/> they may be bypassed,
    /// audited). The planner then leaves the endpoint pinned until the heal resumes it.
    /// </summary>
    public void Rollback(EndpointSpec spec, string? overrideReason)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Fault(FaultSites.Rollback, "operator", $"rolls {spec.Name} back to its last good plan{(overrideReason is null ? string.Empty : " with an override")}");
        Scheduler.Post(() => _ = Swallow(RollbackAsync(spec, overrideReason)));
    }

    private async Task RollbackAsync(EndpointSpec spec, string? overrideReason)
    {
        var operations = new ControlPlaneOperations(_operator, Time);
        var (preview, written) = await operations.RollbackAsync(new RollbackRequest(spec.Name, null, "simulated rollback", "operator", overrideReason));
        Log.Add("operator", written is null ? $"rollback of {spec.Name} refused: {preview.Message}" : $"rollback of {spec.Name}: {written.Generation} carries the records of {preview.Source}");
    }

    private async Task WriteRogueAsync(EndpointSpec spec)
    {
        var generation = await _operator.AllocateGenerationAsync();
        var target = spec.Targets[0];
        var plan = new Plan(spec.Name, generation, [new PlanRecord(target.Id, target.Address, target.Weight, target.Capacity)], "rogue", "rogue writer", [], Time.GetUtcNow());
        await _operator.WritePlanAsync(plan);
    }

    /// <summary>
    /// The end of the fault schedule: every fault site off, stalled applies released, crashed components
    /// restarted, freezes cleared, health honest and up.
    /// </summary>
    public void HealAll()
    {
        Log.Add("world", "heal: faults off, components restarted, health up, freezes cleared");
        foreach (var gate in _holds)
        {
            gate.TrySetResult();
        }

        _planner.Faults.Heal();
        _dns.Faults.Heal();
        StartPlanner(null);
        foreach (var slot in _enactors)
        {
            slot.Faults.Heal();
            StartEnactor(slot);
        }

        foreach (var spec in Specs)
        {
            foreach (var t in spec.Targets)
            {
                SetHealth(spec.Name, t.Id, HealthState.Up);
            }
        }

        Unfreeze(null);
        foreach (var spec in Specs)
        {
            Unfreeze(spec.Name);
        }

        // Rolled-back endpoints stay pinned until an operator resumes them; the heal is that operator.
        var loop = _plannerLoop;
        foreach (var spec in Specs)
        {
            Scheduler.Post(() => _ = Swallow(loop!.ResumeAsync(spec.Name, "operator", "heal")));
        }
    }

    /// <summary>Runs the schedule until <paramref name="duration"/> of virtual time, checking invariants after every event.</summary>
    public void Run(TimeSpan duration)
    {
        var completed = Scheduler.RunUntil(StartTime + duration, Checker.CheckIfDirty, maxEvents: 50_000_000);
        if (!completed)
        {
            Checker.Record(InvariantNames.Determinism, null, "event budget exhausted: work kept posting work without time moving");
        }

        if (Scheduler.EscapedWork > 0)
        {
            Checker.Record(InvariantNames.Determinism, null, $"{Scheduler.EscapedWork} continuations escaped the scheduler thread");
        }

        foreach (var slot in _enactors.Append(_planner))
        {
            slot.Stop();
        }
    }

    private void Sample()
    {
        foreach (var spec in Specs)
        {
            var applied = Store.GetAppliedAsync(spec.Name).GetAwaiter().GetResult();
            Samples.Add((Scheduler.Elapsed, spec.Name, Answers.Resolve(spec.Name)?.Count ?? 0, applied?.Generation.Value ?? 0));
        }

        Scheduler.Schedule(TimeSpan.FromSeconds(5), Sample);
    }

    // Operator calls may hit injected faults; the operator, like the components, just tries again later.
    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (StoreFaultException)
        {
        }
    }

    private static ImmutableArray<EndpointSpec> BuildSpecs(WorldOptions options)
    {
        var specs = ImmutableArray.CreateBuilder<EndpointSpec>();
        var total = options.EndpointsPerZone.Sum();
        var n = 0;
        for (var z = 0; z < options.EndpointsPerZone.Count; z++)
        {
            var zone = $"z{z}.svc.example.";
            for (var e = 0; e < options.EndpointsPerZone[z]; e++)
            {
                n++;
                var targets = Enumerable.Range(0, options.TargetsPerEndpoint)
                    .Select(t => new Target($"t{t}", new IPAddress([10, (byte)z, (byte)e, (byte)(t + 1)]), "az" + ((t % 3) + 1), Weight: 1, Capacity: 1 + (t % 3)))
                    .ToImmutableArray();
                var failOpen = !(options.LastEndpointFailsClosed && n == total);
                specs.Add(new EndpointSpec($"api{e}.{zone}", zone, options.Policy with { FailOpen = failOpen }, targets));
            }
        }

        return specs.ToImmutable();
    }
}
