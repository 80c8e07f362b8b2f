using Holdfast.ControlPlane.Model;
using Holdfast.Simulation.Faults;
using Holdfast.Simulation.World;

namespace Holdfast.Simulation.Scenarios;

/// <summary>
/// Random fault schedules over two zones, three endpoints (one fails closed) and three enactors: every
/// fault site of <see cref="FaultSites"/> may fire, at random times and on random components, for nine
/// minutes; then everything heals and the endpoints must converge within a minute.
/// </summary>
public sealed class RandomFaultsScenario : ControlPlaneScenario
{
    public override string Name => "random-faults";

    public override string Description => "every fault site, fired at random by the seed, then heal and converge";

    public override TimeSpan HealAt => TimeSpan.FromMinutes(9);

    public override TimeSpan Duration => TimeSpan.FromMinutes(10);

    protected override void Script(SimulationWorld world, Random random)
    {
        var at = TimeSpan.FromSeconds(5);
        while (true)
        {
            at += TimeSpan.FromSeconds(2 + (random.NextDouble() * 22));
            if (at >= HealAt - TimeSpan.FromSeconds(5))
            {
                break;
            }

            var kind = random.Next(0, 20);
            var fire = Plan(world, random, kind);
            world.At(at, fire);
        }
    }

    // Chooses everything a fault needs from the seed up front, so the choice does not depend on timing.
    private static Action Plan(SimulationWorld world, Random random, int kind)
    {
        var enactor = world.Enactor(random.Next(world.Enactors.Count));
        var spec = world.Specs[random.Next(world.Specs.Count)];
        var lasting = TimeSpan.FromSeconds(5 + random.Next(0, 40));
        var fraction = 0.3 + (random.NextDouble() * 0.6);
        var skew = TimeSpan.FromSeconds(random.Next(-120, 121));
        var roll = random.NextDouble();
        var targets = spec.Targets.OrderBy(_ => random.Next()).ToList();
        var count = 2 + random.Next(0, spec.Targets.Length - 1);
        var component = random.Next(0, 4) == 0 ? world.Planner : enactor;
        return kind switch
        {
            0 => () =>
            {
                world.Fault(FaultSites.Latency, component.Name, $"latency {fraction:0.00}s for {lasting.TotalSeconds:0}s");
                component.Faults.Latency = TimeSpan.FromSeconds(fraction);
                world.At(world.Scheduler.Elapsed + lasting, () => component.Faults.Latency = TimeSpan.Zero);
            },
            1 => () =>
            {
                var gate = world.HoldNextApply(enactor, $"next apply stalls for {lasting.TotalSeconds * 2:0}s");
                world.At(world.Scheduler.Elapsed + (lasting * 2), () => gate.TrySetResult());
            },
            2 => () =>
            {
                world.Fault(FaultSites.FailBeforeCommit, component.Name, $"p={fraction:0.00} for {lasting.TotalSeconds:0}s");
                component.Faults.FailBeforeCommit = fraction;
                world.At(world.Scheduler.Elapsed + lasting, () => component.Faults.FailBeforeCommit = 0);
            },
            3 => () =>
            {
                world.Fault(FaultSites.FailAfterCommit, component.Name, $"p={fraction:0.00} for {lasting.TotalSeconds:0}s");
                component.Faults.FailAfterCommit = fraction;
                world.At(world.Scheduler.Elapsed + lasting, () => component.Faults.FailAfterCommit = 0);
            },
            4 => () =>
            {
                world.Fault(FaultSites.CutOff, enactor.Name, $"cut off from the store for {lasting.TotalSeconds:0}s");
                enactor.Faults.CutOff = true;
                world.At(world.Scheduler.Elapsed + lasting, () => enactor.Faults.CutOff = false);
            },
            5 => () =>
            {
                world.Crash(enactor, FaultSites.CrashEnactor);
                enactor.Skew = roll < 0.5 ? skew : enactor.Skew;
                if (roll < 0.5)
                {
                    world.Fault(FaultSites.ClockSkew, enactor.Name, $"restarts with clock skew {skew.TotalSeconds:0}s");
                }

                world.At(world.Scheduler.Elapsed + lasting, () => world.StartEnactor(enactor));
            },
            6 => () =>
            {
                world.Crash(world.Planner, FaultSites.CrashPlanner);
                world.Planner.Skew = roll < 0.5 ? skew : world.Planner.Skew;
                if (roll < 0.5)
                {
                    world.Fault(FaultSites.ClockSkew, "planner", $"restarts with clock skew {skew.TotalSeconds:0}s");
                }

                world.At(world.Scheduler.Elapsed + lasting, () => world.StartPlanner(roll > 0.3 ? TimeSpan.FromSeconds(30 + (roll * 120)) : null));
            },
            7 => () =>
            {
                // A lying source: most of a zone's targets reported down at once, while they serve fine.
                world.Fault(FaultSites.LyingHealth, "health", $"reports {fraction:P0} of zone {spec.Zone} down for {lasting.TotalSeconds * 2:0}s");
                var zone = world.Specs.Where(s => s.Zone == spec.Zone).SelectMany(s => s.Targets.Select(t => (s.Name, t.Id))).ToList();
                var lie = zone.Take((int)Math.Ceiling(zone.Count * fraction)).ToList();
                foreach (var (e, t) in lie)
                {
                    world.SetHealth(e, t, HealthState.Down);
                }

                world.At(world.Scheduler.Elapsed + (lasting * 2), () =>
                {
                    foreach (var (e, t) in lie)
                    {
                        world.SetHealth(e, t, HealthState.Up);
                    }
                });
            },
            8 => () =>
            {
                world.Fault(FaultSites.FlappingHealth, "health", $"{spec.Name}/{targets[0].Id} flaps every 3s for {lasting.TotalSeconds:0}s");
                for (var t = TimeSpan.Zero; t < lasting; t += TimeSpan.FromSeconds(3))
                {
                    var state = (int)(t.TotalSeconds / 3) % 2 == 0 ? HealthState.Down : HealthState.Up;
                    world.At(world.Scheduler.Elapsed + t, () => world.SetHealth(spec.Name, targets[0].Id, state));
                }

                world.At(world.Scheduler.Elapsed + lasting, () => world.SetHealth(spec.Name, targets[0].Id, HealthState.Up));
            },
            9 => () =>
            {
                world.Fault(FaultSites.AllTargetsDown, "health", $"every target of {spec.Name} looks down for {lasting.TotalSeconds:0}s");
                SetAll(world, spec, HealthState.Down);
                world.At(world.Scheduler.Elapsed + lasting, () => SetAll(world, spec, HealthState.Up));
            },
            10 or 11 => () =>
            {
                // Targets of one endpoint fail one after another: the capacity floor and velocity limit engage.
                world.Fault(FaultSites.TargetDown, "health", $"{count} targets of {spec.Name} fail over {count * 5}s for {lasting.TotalSeconds * 3:0}s");
                for (var i = 0; i < count; i++)
                {
                    var id = targets[i].Id;
                    world.At(world.Scheduler.Elapsed + TimeSpan.FromSeconds(5 * i), () => world.SetHealth(spec.Name, id, HealthState.Down));
                    world.At(world.Scheduler.Elapsed + (lasting * 3), () => world.SetHealth(spec.Name, id, HealthState.Up));
                }
            },
            12 => () =>
            {
                var global = roll < 0.3;
                world.Fault(FaultSites.Freeze, "operator", $"freezes {(global ? "everything" : spec.Name)} for {lasting.TotalSeconds:0}s");
                world.Freeze(global ? null : spec.Name, "simulated operator freeze");
                world.At(world.Scheduler.Elapsed + lasting, () => world.Unfreeze(global ? null : spec.Name));
            },
            13 or 14 => () => world.WriteRoguePlan(spec),
            15 => () => world.Rollback(spec, roll < 0.3 ? "simulated operator accepts the risk" : null),
            16 => () =>
            {
                // The planner's or an enactor's feed loses pages (lost wake-ups) or delivers old ones again; the DNS
                // server's feed may disconnect and deliver twice, but never loses data (it reads a durable log by revision).
                component.Faults.FeedLoss = fraction;
                component.Faults.FeedDuplicate = 1 - fraction;
                world.Dns.Faults.FeedDuplicate = fraction / 2;
                world.At(world.Scheduler.Elapsed + lasting, () =>
                {
                    component.Faults.FeedLoss = 0;
                    component.Faults.FeedDuplicate = 0;
                    world.Dns.Faults.FeedDuplicate = 0;
                });
            },
            17 => () =>
            {
                component.Faults.FeedDisconnect = fraction;
                world.Dns.Faults.FeedDisconnect = fraction / 2;
                world.At(world.Scheduler.Elapsed + lasting, () =>
                {
                    component.Faults.FeedDisconnect = 0;
                    world.Dns.Faults.FeedDisconnect = 0;
                });
            },
            _ => () =>
            {
                // Health changes that never wake the planner, or wake it twice, while targets fail.
                world.Planner.Faults.HealthEventLoss = fraction;
                world.Planner.Faults.HealthEventDuplicate = 1 - fraction;
                for (var i = 0; i < count; i++)
                {
                    var id = targets[i].Id;
                    world.At(world.Scheduler.Elapsed + TimeSpan.FromSeconds(3 * i), () => world.SetHealth(spec.Name, id, HealthState.Down));
                    world.At(world.Scheduler.Elapsed + (lasting * 2), () => world.SetHealth(spec.Name, id, HealthState.Up));
                }

                world.At(world.Scheduler.Elapsed + lasting, () =>
                {
                    world.Planner.Faults.HealthEventLoss = 0;
                    world.Planner.Faults.HealthEventDuplicate = 0;
                });
            },
        };
    }

    private static void SetAll(SimulationWorld world, EndpointSpec spec, HealthState state)
    {
        foreach (var t in spec.Targets)
        {
            world.SetHealth(spec.Name, t.Id, state);
        }
    }
}
