using FsCheck;
using FsCheck.Fluent;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing.Protocol;

namespace Holdfast.ControlPlane.Tests.Properties;

/// <summary>
/// Random interleavings of planner runs, applies by three enactors with arbitrary delays (an apply parked
/// while anything else happens), crashes before and after commit, cleanups, freezes, rollbacks and
/// restarts: I1, I2, I3, I5 and I6 hold after every step.
/// </summary>
public sealed class ProtocolPropertyTests
{
    private static readonly Arbitrary<int[]> s_schedules = Gen.ArrayOf(Gen.Choose(0, 10_000)).Resize(200).ToArbitrary();

    [Fact]
    public void RandomInterleavings_InMemoryStore_InvariantsHoldAfterEveryStep()
    {
        var property = Prop.ForAll(s_schedules, schedule =>
        {
            // A restart of the process keeps the in-memory store: it plays the durable store here.
            InMemoryControlStore? store = null;
            ProtocolHarness.Run(schedule, time => store ??= new InMemoryControlStore(time));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000).WithReplay(new Replay(new Rnd(20251019UL), null)), property);
    }

    [Fact]
    public async Task Harness_OctoberSchedule_ParksAndRefusesTheLateApply()
    {
        // Guards the harness: a hand-written schedule with the incident's shape must run the code paths
        // (park, stale late apply, cleanup) that the property relies on.
        // op = kind + 11 * p; enactor = p % 3; endpoint = p % 2.
        int[] schedule =
        [
            1,            // planner: first plans (api g1, web g2)
            2 + (11 * 1), // az2 starts a pass and parks on api g1
            3 + (11 * 1), // az2 applies api g1, then parks on web g2
            3 + (11 * 1), // az2 applies web g2; its pass ends
            0 + (11 * 0), // api/t1 down: planner writes api g3
            2 + (11 * 0), // az1 starts and parks holding api g3
            0 + (11 * 2), // api/t2 down: planner writes api g4
            2 + (11 * 1), // az2 starts and parks on api g4
            3 + (11 * 1), // az2 applies g4 and cleans up: g3 (never applied) is deleted
            3 + (11 * 0), // az1's late apply of g3: must be refused as stale
        ];
        using var harness = new ProtocolHarness(time => new InMemoryControlStore(time));
        await harness.StartAsync();
        foreach (var op in schedule)
        {
            await harness.StepAsync(op);
            await harness.CheckInvariantsAsync();
        }

        await harness.StopAsync();
        harness.Log.ShouldContain(l => l.Contains("az1 api.svc.example.", StringComparison.Ordinal) && l.EndsWith(": Stale", StringComparison.Ordinal), string.Join('\n', harness.Log));
    }
}
