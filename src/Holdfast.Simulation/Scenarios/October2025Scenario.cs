using Holdfast.ControlPlane.Model;
using Holdfast.Simulation.Legacy;
using Holdfast.Simulation.World;

namespace Holdfast.Simulation.Scenarios;

/// <summary>
/// The published schedule of 19–20 October 2025 (docs/design/incident.md): health churn makes the planner write a new
/// plan every few seconds; enactor az1 reads a plan and stalls just before its write until another enactor has applied
/// a plan several generations newer; az1's write then lands between that apply and the cleanup after it.
/// Legacy: az1 overwrites the newer plan, the other enactor's cleanup deletes the now-live plan and its records (empty
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
        // The 2025 automation had no velocity limit: churn must turn into plans as fast as it comes, so that a
        // fast enactor runs far ahead of the delayed one. A one-second window never holds two churn removals.
        Policy = EndpointPolicy.Default with { VelocityLimit = 1.0, VelocityWindow = TimeSpan.FromSeconds(1) },
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
            var az1 = world.Enactor(0);
            var gate = world.HoldNextApply(az1, "az1 stalls just before its next write");
            world.Checker.AppliedChanged += applied =>
            {
                // az1 resumes only while it really holds an old plan, the moment another enactor has applied
                // one far enough ahead that the legacy cleanup that follows counts az1's plan as much older.
                if (!gate.Task.IsCompleted && az1.Faults.Stalled is { } held && applied.AppliedBy != az1.Name && applied.Generation.Value > held.Value + LegacyEnactor.AgeGenerations)
                {
                    world.Log.Add("world", $"{applied.AppliedBy} applied {applied.Generation}; az1 resumes its stalled write of {held}");
                    gate.TrySetResult();
                }
            };
        });
    }
}
