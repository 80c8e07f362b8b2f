using Holdfast.ControlPlane.Model;
using Holdfast.Simulation.Legacy;
using Holdfast.Simulation.World;

namespace Holdfast.Simulation.Scenarios;

/// <summary>
/// The published schedule of 19–20 October 2025 (INCIDENT.md): health churn makes the planner write a new
/// plan every few seconds; enactor az1 reads a plan and stalls just before its write until az2 has applied
/// a plan several generations newer; az1's write then lands between az2's apply and az2's cleanup.
/// Legacy: az1 overwrites the newer plan, az2's cleanup deletes the now-live plan and its records (empty
/// answer), and every enactor then fails on the missing live plan (stuck). Fenced: az1's apply is stale.
/// </summary>
public sealed class October2025Scenario : ControlPlaneScenario
{
    public override string Name => "oct-2025";

    public override string Description => "delayed enactor overwrites a newer plan; cleanup deletes the live plan";

    public override TimeSpan HealAt => TimeSpan.FromMinutes(3);

    public override TimeSpan Duration => TimeSpan.FromMinutes(4);

    protected override WorldOptions Options => new()
    {
        EndpointsPerZone = [1],
        TargetsPerEndpoint = 6,
        Enactors = 3,
        PassInterval = TimeSpan.FromSeconds(1),
        LastEndpointFailsClosed = false,
        Policy = EndpointPolicy.Default with { VelocityLimit = 1.0 },
    };

    protected override void Script(SimulationWorld world, Random random)
    {
        var spec = world.Specs[0];

        // Store round trips of some 20 ms: an enactor's cleanup follows its apply a moment later.
        foreach (var slot in world.Enactors)
        {
            slot.Faults.Latency = TimeSpan.FromMilliseconds(20);
        }

        // Churn: one target at a time goes down and comes back, so plans keep coming.
        var at = TimeSpan.FromSeconds(3);
        for (var i = 0; at < HealAt - TimeSpan.FromSeconds(10); i++)
        {
            var target = spec.Targets[i % spec.Targets.Length].Id;
            var down = at;
            world.At(down, () => world.SetHealth(spec.Name, target, HealthState.Down));
            world.At(down + TimeSpan.FromSeconds(2), () => world.SetHealth(spec.Name, target, HealthState.Up));
            at += TimeSpan.FromSeconds(4 + random.Next(0, 2));
        }

        // The delayed enactor: az1's next apply after 20 s stalls until az2 has applied a plan far enough
        // ahead that the legacy cleanup counts az1's plan as much older.
        world.At(TimeSpan.FromSeconds(20 + random.Next(0, 10)), () =>
        {
            var held = world.LatestPlanGeneration(spec.Name);
            var gate = world.HoldNextApply(world.Enactor(0), $"az1 stalls before its next write (latest plan {held})");
            world.Checker.AppliedChanged += applied =>
            {
                if (!gate.Task.IsCompleted && applied.AppliedBy == world.Enactor(1).Name && applied.Generation.Value >= held.Value + LegacyEnactor.AgeGenerations + 3)
                {
                    world.Log.Add("world", $"az2 applied {applied.Generation}; az1 resumes its stalled write");
                    gate.TrySetResult();
                }
            };
        });
    }
}
