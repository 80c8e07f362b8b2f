using System.ComponentModel.DataAnnotations;

namespace Holdfast.Push;

/// <summary>The pace and limits of a push target's worker. Every default is what an operator gets without a key in holdfast.yaml.</summary>
public sealed record PushOptions
{
    /// <summary>Longest wait for one answer (query or UPDATE) from the server. Default 2 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First back-off after a failure; doubles per consecutive failure (± <see cref="Jitter"/>). Default 500 ms.</summary>
    public TimeSpan RetryInitial { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Back-off never grows past this. Default 30 s.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A full pass compares every endpoint of the zone with what the server answers and repairs drift (records changed
    /// behind Holdfast's back). Default 5 minutes: it costs three queries per endpoint.
    /// </summary>
    public TimeSpan FullPassInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Fraction by which intervals and back-offs vary at random, so that targets and nodes do not move in step. Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; init; } = 0.2;

    /// <summary>How long a burst of applies coalesces before a pass. Default 20 ms.</summary>
    public TimeSpan WakeDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Longest single wait on the store's change feed. Default 30 s.</summary>
    public TimeSpan FeedWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Times one endpoint is read back and decided again after its prerequisite failed (another pusher moved the marker)
    /// within one pass; after that the endpoint waits for the next pass. Default 3.
    /// </summary>
    [Range(1, 100)]
    public int MaxConflictRetries { get; init; } = 3;

    /// <summary>Endpoints of one target in flight at once (never two for one endpoint). Default 8.</summary>
    [Range(1, 256)]
    public int Concurrency { get; init; } = 8;

    /// <summary>Endpoints read from the store per batch on the event path. Default 256.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; init; } = 256;

    /// <summary>Throws with the name of the first option out of range.</summary>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero || RetryInitial <= TimeSpan.Zero || RetryMax < RetryInitial || FullPassInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("push: timeout, retryInitial and fullPassInterval must be positive, retryMax at least retryInitial");
        }

        if (Jitter is < 0 or > 1 || MaxConflictRetries < 1 || Concurrency < 1 || BatchSize < 1)
        {
            throw new ArgumentException("push: jitter must be within 0..1, maxConflictRetries, concurrency and batchSize at least 1");
        }
    }
}
