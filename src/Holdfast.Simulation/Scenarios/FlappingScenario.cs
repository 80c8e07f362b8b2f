using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.Simulation.Faults;
using Holdfast.Simulation.Invariants;
using Holdfast.Simulation.World;

namespace Holdfast.Simulation.Scenarios;

/// <summary>
/// Health that alternates: a few targets of one endpoint flap up and down with random periods. The velocity
/// limit must bound the capacity removed from the live answer within any window (checked on the live
/// state, with the window shortened by an enactor lag), and the capacity floor must hold throughout (I5).
/// </summary>
public sealed class FlappingScenario : ControlPlaneScenario
{
    /// <summary>Applies trail plans by up to a few passes; the live-state window is shortened by this much.</summary>
    public static readonly TimeSpan EnactorLag = TimeSpan.FromSeconds(15);

    public override string Name => "flapping";

    public override string Description => "targets flap; the velocity limit bounds capacity removed per window";

    public override TimeSpan HealAt => TimeSpan.FromMinutes(8);

    public override TimeSpan Duration => TimeSpan.FromMinutes(9);

    // The default K on purpose: with K = 5 this scenario once found cleanup deleting plans inside the
    // velocity window (seed 2), so removals stopped counting. Cleanup now retains the window's plans.
    protected override WorldOptions Options => new() { EndpointsPerZone = [1], TargetsPerEndpoint = 6, LastEndpointFailsClosed = false };

    protected override void Script(SimulationWorld world, Random random)
    {
        var spec = world.Specs[0];
        var flappers = spec.Targets.OrderBy(_ => random.Next()).Take(2 + random.Next(0, 3)).ToList();
        world.At(TimeSpan.FromSeconds(20), () => world.Fault(FaultSites.FlappingHealth, "health", $"{string.Join(',', flappers.Select(t => t.Id))} flap"));
        foreach (var target in flappers)
        {
            var period = TimeSpan.FromSeconds(4 + random.Next(0, 27));
            var down = true;
            for (var at = TimeSpan.FromSeconds(20 + random.Next(0, 10)); at < HealAt; at += period)
            {
                var state = down ? HealthState.Down : HealthState.Up;
                world.At(at, () => world.SetHealth(spec.Name, target.Id, state));
                down = !down;
            }
        }

        var budget = Math.Max((long)Math.Floor(spec.Policy.VelocityLimit * spec.EnabledCapacity), spec.Targets.Max(t => (long)t.Capacity));
        var window = spec.Policy.Window - EnactorLag;
        var removals = new List<(TimeSpan At, long Capacity)>();
        IReadOnlyCollection<string>? previous = null;
        world.Checker.AppliedChanged += applied =>
        {
            var now = world.Scheduler.Elapsed;
            var live = applied.Records.Select(r => r.TargetId).ToHashSet(StringComparer.Ordinal);
            if (previous is not null)
            {
                var removed = spec.Targets.Where(t => previous.Contains(t.Id) && !live.Contains(t.Id)).Sum(t => (long)t.Capacity);
                if (removed > 0)
                {
                    removals.Add((now, removed));
                    var inWindow = removals.Where(r => r.At > now - window).Sum(r => r.Capacity);
                    if (inWindow > budget)
                    {
                        world.Checker.Record(InvariantNames.Scenario, spec.Name, $"{GuardrailNames.VelocityLimit}: {inWindow} capacity removed from the live answer within {window.TotalSeconds:0}s, budget {budget}");
                    }
                }
            }

            previous = live;
        };
    }
}
