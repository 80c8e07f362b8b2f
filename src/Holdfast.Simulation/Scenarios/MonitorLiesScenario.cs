using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Simulation.Faults;
using Holdfast.Simulation.Invariants;
using Holdfast.Simulation.World;

namespace Holdfast.Simulation.Scenarios;

/// <summary>
/// A health source lies: most of a zone's targets are reported down at once while they serve fine.
/// Self-preservation must engage and hold every removal in that zone while the lie lasts, and let go
/// when health recovers (the live answers are whole again by the end).
/// </summary>
public sealed class MonitorLiesScenario : ControlPlaneScenario
{
    public override string Name => "monitor-lies";

    public override string Description => "a monitor reports most of a zone down; self-preservation holds removals, then releases";

    public override TimeSpan HealAt => TimeSpan.FromMinutes(7);

    public override TimeSpan Duration => TimeSpan.FromMinutes(8);

    protected override void Script(SimulationWorld world, Random random)
    {
        var zone = world.Specs[0].Zone;
        var targets = world.Specs.Where(s => s.Zone == zone).SelectMany(s => s.Targets.Select(t => (Endpoint: s.Name, t.Id))).OrderBy(_ => random.Next()).ToList();
        var fraction = 0.6 + (random.NextDouble() * 0.3);
        var lie = targets.Take((int)Math.Ceiling(targets.Count * fraction)).ToList();
        var start = TimeSpan.FromSeconds(60 + random.Next(0, 60));
        var end = start + TimeSpan.FromSeconds(120 + random.Next(0, 120));
        var before = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var lying = false;

        world.Checker.AppliedChanged += applied =>
        {
            if (lying && before.TryGetValue(applied.Endpoint, out var live))
            {
                var lost = live.Where(id => !applied.Records.Any(r => r.TargetId == id)).ToList();
                if (lost.Count > 0)
                {
                    world.Checker.Record(InvariantNames.Scenario, applied.Endpoint, $"removed {string.Join(',', lost)} while the monitor lied ({applied.Generation})");
                }
            }
        };

        world.At(start, () =>
        {
            world.Fault(FaultSites.LyingHealth, "health", $"reports {lie.Count} of {targets.Count} targets of {zone} down");
            foreach (var spec in world.Specs.Where(s => s.Zone == zone))
            {
                var applied = world.Store.GetAppliedAsync(spec.Name).GetAwaiter().GetResult();
                before[spec.Name] = applied is null ? [] : applied.Records.Select(r => r.TargetId).ToHashSet(StringComparer.Ordinal);
            }

            lying = true;
            foreach (var (endpoint, id) in lie)
            {
                world.SetHealth(endpoint, id, HealthState.Down);
            }
        });

        world.At(end, () =>
        {
            lying = false;
            foreach (var (endpoint, id) in lie)
            {
                world.SetHealth(endpoint, id, HealthState.Up);
            }
        });
    }

    protected override void Verify(SimulationWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (!world.Observer.GuardrailEvents.Any(e => e.Guardrail == GuardrailNames.SelfPreservation))
        {
            world.Checker.Record(InvariantNames.Scenario, null, "self-preservation never engaged while most of a zone looked down");
        }

        foreach (var spec in world.Specs)
        {
            var applied = world.Store.GetAppliedAsync(spec.Name).GetAwaiter().GetResult();
            if (applied is null || applied.Records.Length != spec.EnabledTargets.Count())
            {
                world.Checker.Record(InvariantNames.Scenario, spec.Name, $"not released: {applied?.Records.Length ?? 0} of {spec.EnabledTargets.Count()} targets live after health recovered");
            }
        }
    }
}
