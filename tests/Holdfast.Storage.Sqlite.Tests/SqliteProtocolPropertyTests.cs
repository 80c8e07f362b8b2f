using FsCheck;
using FsCheck.Fluent;
using Holdfast.Testing;
using Holdfast.Testing.Protocol;

namespace Holdfast.Storage.Sqlite.Tests;

/// <summary>
/// The protocol property of the control plane tests on the SQLite store, where a restart really closes
/// the file and opens it again: I1, I2, I3, I5 and I6 hold after every step.
/// </summary>
public sealed class SqliteProtocolPropertyTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void RandomInterleavings_SqliteStoreWithRestarts_InvariantsHoldAfterEveryStep()
    {
        var schedules = Gen.ArrayOf(Gen.Choose(0, 10_000)).Resize(150).ToArbitrary();
        var run = 0;
        var property = Prop.ForAll(schedules, schedule =>
        {
            var directory = Path.Combine(_root.Path, "run" + run++);
            ProtocolHarness.Run(
                schedule,
                time => SqliteControlStore.Open(directory, time),
                store =>
                {
                    ((SqliteControlStore)store).Dispose();
                    return Task.CompletedTask;
                });
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithReplay(new Replay(new Rnd(20251020UL), null)), property);
    }
}
