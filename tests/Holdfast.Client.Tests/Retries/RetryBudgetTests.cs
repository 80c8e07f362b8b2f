using FsCheck;
using FsCheck.Fluent;
using Holdfast.Client.Retries;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Client.Tests.Retries;

public sealed class RetryBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static int Acquired(RetryBudget budget, int tries) => Enumerable.Range(0, tries).Count(_ => budget.TryAcquireRetry());

    [Fact]
    public void TryAcquireRetry_RatioOfRecentRequests_AllowsThatManyAndNoMore()
    {
        var budget = new RetryBudget(new RetryBudgetOptions { RetryRatio = 0.1, MinRetriesPerSecond = 0 }, new FakeTimeProvider(Start));
        for (var i = 0; i < 200; i++)
        {
            budget.RecordRequest();
        }

        Acquired(budget, 100).ShouldBe(20);
        budget.InWindow.ShouldBe((200L, 20L));
    }

    [Fact]
    public void TryAcquireRetry_NoTraffic_StillAllowsTheMinimumRateOverTheWindow()
    {
        var budget = new RetryBudget(new RetryBudgetOptions { RetryRatio = 0.1, MinRetriesPerSecond = 1, Window = TimeSpan.FromSeconds(10) }, new FakeTimeProvider(Start));
        Acquired(budget, 50).ShouldBe(10);
    }

    [Fact]
    public void TryAcquireRetry_WindowPassed_ForgetsOldRequestsAndRetries()
    {
        var clock = new FakeTimeProvider(Start);
        var budget = new RetryBudget(new RetryBudgetOptions { RetryRatio = 0.5, MinRetriesPerSecond = 0 }, clock);
        for (var i = 0; i < 10; i++)
        {
            budget.RecordRequest();
        }

        Acquired(budget, 10).ShouldBe(5);
        clock.Advance(TimeSpan.FromSeconds(5));
        budget.InWindow.ShouldBe((10L, 5L), "half the window later the old bucket is still in it");
        clock.Advance(TimeSpan.FromSeconds(6));
        budget.InWindow.ShouldBe((0L, 0L));
        Acquired(budget, 1).ShouldBe(0, "no requests in the window, no minimum: no retry");
    }

    [Fact]
    public void Constructor_WindowOutsideOneToSixtySeconds_NamesTheOption()
    {
        Should.Throw<ArgumentException>(() => new RetryBudget(new RetryBudgetOptions { Window = TimeSpan.FromMinutes(5) }, TimeProvider.System))
            .Message.ShouldContain(nameof(RetryBudgetOptions.Window));
    }

    [Fact]
    public void Delay_AnyAttempt_IsWithinZeroAndTheCappedExponentialCeiling()
    {
        var backoff = new FullJitterBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), new SeededRandom(5));
        var property = Prop.ForAll<byte>(attempt =>
        {
            var ceiling = TimeSpan.FromMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, attempt)));
            var delay = backoff.Delay(attempt);
            return backoff.Ceiling(attempt) == ceiling && delay >= TimeSpan.Zero && delay <= ceiling;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }
}
