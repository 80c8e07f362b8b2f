namespace Holdfast.Simulation.RetryStorm;

/// <summary>How the simulated clients retry a failed request.</summary>
public enum ClientRetryPolicy
{
    /// <summary>Retry at once (next tick), forever: the storm.</summary>
    Naive,

    /// <summary>Capped exponential backoff with full jitter, at most a few attempts, and a retry budget (retries ≤ a fraction of requests).</summary>
    BackoffWithBudget,
}
