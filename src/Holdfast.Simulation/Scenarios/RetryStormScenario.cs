using Holdfast.Simulation.Invariants;
using Holdfast.Simulation.RetryStorm;

namespace Holdfast.Simulation.Scenarios;

/// <summary>
/// The endpoint disappears from DNS for one to two minutes and comes back; the same client population
/// runs with naive retries, with capped exponential backoff and full jitter alone, and with Holdfast.Client's
/// backoff and retry budget (the library's classes on the virtual clock).
/// Required of the budgeted clients: peak offered load at most <see cref="MaxBudgetedAmplification"/> ×
/// baseline and goodput back within <see cref="RecoveryBound"/> of DNS healing. The naive run is the
/// comparison (its amplification and collapse are reported, not judged). The outage is scripted, so the
/// protocol does not change this scenario.
/// </summary>
public sealed class RetryStormScenario : Scenario
{
    /// <summary>
    /// 1 + one budget window's allowance spent within a second of 50 requests (0.1 × 100 requests + 1/s × 2 s = 12
    /// retries, 0.24) + arrival wobble (0.2) ≈ 1.44, with room for retries of timed-out work.
    /// </summary>
    public const double MaxBudgetedAmplification = 1.7;

    public static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    public override string Name => "retry-storm";

    public override string Description => "naive retries versus capped exponential backoff with full jitter and a retry budget";

    public override ScheduleResult Run(Protocol protocol, int seed)
    {
        var root = new Random(seed);
        var settings = new RetryStormSettings();
        var start = TimeSpan.FromSeconds(45 + root.Next(0, 30));
        var end = start + TimeSpan.FromSeconds(60 + root.Next(0, 60));
        var naiveSeed = root.Next();
        var budgetSeed = root.Next();
        var plainSeed = root.Next();
        var naive = new RetryStormModel(settings, ClientRetryPolicy.Naive, new Random(naiveSeed), start, end).Run();
        var budgeted = new RetryStormModel(settings, ClientRetryPolicy.BackoffWithBudget, new Random(budgetSeed), start, end).Run();
        var plain = new RetryStormModel(settings, ClientRetryPolicy.PlainBackoff, new Random(plainSeed), start, end).Run();
        var violations = new List<Violation>();
        if (budgeted.PeakAmplification > MaxBudgetedAmplification)
        {
            violations.Add(new Violation(InvariantNames.Scenario, end, null, $"budgeted clients amplified load {budgeted.PeakAmplification:0.00}x (limit {MaxBudgetedAmplification}x)", 0));
        }

        if (budgeted.GoodputRecovery is not { } recovery || recovery > RecoveryBound)
        {
            violations.Add(new Violation(InvariantNames.Scenario, end, null, $"budgeted clients' goodput not back within {RecoveryBound.TotalSeconds:0}s of DNS healing", 0));
        }

        var log = new List<string>();
        foreach (var outcome in new[] { naive, plain, budgeted })
        {
            log.Add(FormattableString.Invariant($"{outcome.Policy}: peak amplification {outcome.PeakAmplification:0.00}x, max queued {outcome.MaxQueued}, wasted work {outcome.WastedWork}, goodput recovery {(outcome.GoodputRecovery is { } r ? r.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "s" : "never")}"));
        }

        return new ScheduleResult
        {
            Scenario = Name,
            Protocol = protocol,
            Seed = seed,
            SimulatedTime = settings.Duration * 2,
            Violations = violations,
            GuardrailFirings = new Dictionary<string, int>(),
            FaultsInjected = new Dictionary<string, int> { ["dns-outage"] = 1 },
            EventLog = log,
            RetryStorm = new RetryStormOutcome(start, end, [naive, plain, budgeted]),
        };
    }
}
