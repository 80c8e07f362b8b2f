using Holdfast.Simulation.Invariants;
using Holdfast.Simulation.World;

namespace Holdfast.Simulation.Scenarios;

/// <summary>
/// A scenario over the control plane: build the world, start everything, script faults from the seed, heal
/// at <see cref="HealAt"/>, and require convergence (I4) by <see cref="Duration"/> — the bound is
/// <c>Duration - HealAt</c>.
/// </summary>
public abstract class ControlPlaneScenario : Scenario
{
    /// <summary>A plan younger than this at the end is not yet owed to the live state (an enactor pass or two).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    protected virtual WorldOptions Options => new();

    public abstract TimeSpan HealAt { get; }

    public abstract TimeSpan Duration { get; }

    public TimeSpan ConvergenceBound => Duration - HealAt;

    protected abstract void Script(SimulationWorld world, Random random);

    /// <summary>Scenario-specific properties, checked after the run (record violations as <see cref="InvariantNames.Scenario"/>).</summary>
    protected virtual void Verify(SimulationWorld world)
    {
    }

    public override ScheduleResult Run(Protocol protocol, int seed)
    {
        var world = new SimulationWorld(Options, protocol, seed);
        world.StartAll();
        Script(world, world.NextRandom());
        world.At(HealAt, world.HealAll);
        world.Run(Duration);
        var before = world.Checker.Violations.Count;
        world.Checker.CheckConvergence(Settle);
        var stuck = world.Checker.Violations.Skip(before).Any(v => v.Invariant == InvariantNames.Convergence);
        Verify(world);
        return new ScheduleResult
        {
            Scenario = Name,
            Protocol = protocol,
            Seed = seed,
            SimulatedTime = Duration,
            Violations = world.Checker.Violations,
            GuardrailFirings = world.Observer.GuardrailFirings,
            FaultsInjected = world.FaultsInjected,
            EmptyAnswerObserved = world.Checker.EmptyAnswerObserved,
            Stuck = stuck,
            EventsRun = world.Scheduler.EventsRun,
            PlansWritten = world.Observer.PlansWritten,
            EventLog = world.Log.Lines,
            Samples = world.Samples,
            Applies = world.Observer.Applies,
            GuardrailEvents = world.Observer.GuardrailEvents,
        };
    }
}
