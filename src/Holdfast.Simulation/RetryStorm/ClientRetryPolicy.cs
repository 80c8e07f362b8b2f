namespace Holdfast.Simulation.RetryStorm;

/// <summary>How the simulated clients retry a failed request.</summary>
public enum ClientRetryPolicy
{
    /// <summary>Retry at once (next tick), forever: the storm.</summary>
    Naive,

    /// <summary>Capped exponential backoff with full jitter and at most a few attempts, without a budget (a plain retry library).</summary>
    PlainBackoff,

    /// <summary>Holdfast.Client: the same backoff (its <c>FullJitterBackoff</c>) gated by its <c>RetryBudget</c> (retries ≤ a fraction of requests).</summary>
    BackoffWithBudget,
}
