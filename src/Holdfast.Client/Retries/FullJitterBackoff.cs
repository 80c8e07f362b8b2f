namespace Holdfast.Client.Retries;

/// <summary>
/// Capped exponential backoff with full jitter: the delay before retry <c>n</c> (0-based) is uniform in
/// <c>[0, min(cap, base × 2ⁿ)]</c>. Full jitter spreads a crowd of failed clients evenly over the interval, where
/// "equal" or no jitter keeps them in waves (the AWS Architecture Blog's comparison of 2015 is the usual reference).
/// </summary>
public sealed class FullJitterBackoff(TimeSpan baseDelay, TimeSpan maxDelay, SeededRandom random)
{
    public TimeSpan BaseDelay { get; } = baseDelay;

    public TimeSpan MaxDelay { get; } = maxDelay;

    /// <summary>The ceiling for retry <paramref name="attempt"/>: min(cap, base × 2^attempt), without overflow.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var exponent = Math.Clamp(attempt, 0, 62);
        var ticks = BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan Delay(int attempt) => TimeSpan.FromTicks((long)(random.NextDouble() * Ceiling(attempt).Ticks));
}
