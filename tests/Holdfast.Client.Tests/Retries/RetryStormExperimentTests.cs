using Holdfast.Client.Retries;

namespace Holdfast.Client.Tests.Retries;

/// <summary>Naive retries, a plain Polly retry, and Holdfast's budget (with and without a breaker), side by side.</summary>
public sealed class RetryStormExperimentTests(ITestOutputHelper output)
{
    [Fact]
    public void Outage_FourPolicies_BudgetKeepsAmplificationNearOnePlusItsRatio()
    {
        var naive = RetryStormExperiment.Naive();
        var plain = RetryStormExperiment.PlainPolly();
        var budget = RetryStormExperiment.Budget(seed: 7);
        var breaker = RetryStormExperiment.BudgetAndBreaker(seed: 7);
        foreach (var figures in new[] { naive, plain, budget, breaker })
        {
            output.WriteLine(figures.ToString());
        }

        var defaults = new RetryBudgetOptions();
        var bound = 1 + defaults.RetryRatio + (defaults.MinRetriesPerSecond / RetryStormExperiment.RequestsPerSecond);
        naive.Amplification.ShouldBe(5, "every request tries five times");
        plain.Amplification.ShouldBe(4, "every request tries four times");

        // The window slides in tenths, and the tail after the last request spends what the window still holds:
        // one window's worth of minimum rate over the 60 s outage is the slack.
        budget.Amplification.ShouldBeLessThanOrEqualTo(bound + (defaults.MinRetriesPerSecond * defaults.Window.TotalSeconds / budget.Requests) + 0.01);
        budget.Amplification.ShouldBeGreaterThan(1.0, "the budget still retries some");
        breaker.Amplification.ShouldBeLessThan(budget.Amplification, "an open circuit sheds even first attempts");
    }

    [Fact]
    public void Outage_SameSeed_GivesTheSameFigures()
    {
        RetryStormExperiment.Budget(seed: 3).ShouldBe(RetryStormExperiment.Budget(seed: 3));
        RetryStormExperiment.BudgetAndBreaker(seed: 3).ShouldBe(RetryStormExperiment.BudgetAndBreaker(seed: 3));
    }
}
