namespace Holdfast.Simulation.Scenarios;

/// <summary>A named simulation: given a protocol and a seed, one deterministic schedule and its result.</summary>
public abstract class Scenario
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public abstract ScheduleResult Run(Protocol protocol, int seed);
}
