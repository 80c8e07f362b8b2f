namespace Holdfast.Client.Retries;

/// <summary>
/// How many retries a <see cref="RetryBudget"/> allows: within any <see cref="Window"/>, retries may be at most
/// <see cref="RetryRatio"/> × the requests made in it, plus <see cref="MinRetriesPerSecond"/> × the window's seconds
/// (so a client that makes few requests can still retry a blip). During an outage the offered load is then at most
/// (1 + RetryRatio) × the load without failures, plus the minimum rate.
/// </summary>
public sealed class RetryBudgetOptions
{
    /// <summary>Retries allowed per request. Default 0.1 (10 % extra load at most).</summary>
    public double RetryRatio { get; set; } = 0.1;

    /// <summary>Retries always allowed per second, whatever the ratio says. Default 1.</summary>
    public double MinRetriesPerSecond { get; set; } = 1;

    /// <summary>How long a request counts towards the budget (Finagle's and Linkerd's TTL). Default 10 seconds.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (RetryRatio is < 0 or > 10 || double.IsNaN(RetryRatio))
        {
            throw new ArgumentException($"{nameof(RetryRatio)}: {RetryRatio} is outside 0..10");
        }

        if (MinRetriesPerSecond < 0 || double.IsNaN(MinRetriesPerSecond))
        {
            throw new ArgumentException($"{nameof(MinRetriesPerSecond)}: {MinRetriesPerSecond} is negative");
        }

        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"{nameof(Window)}: {Window} is outside 1 s..60 s");
        }
    }
}
