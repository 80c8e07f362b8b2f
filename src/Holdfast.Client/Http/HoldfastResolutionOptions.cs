namespace Holdfast.Client.Http;

/// <summary>How a named <see cref="HttpClient"/> connects to the addresses <see cref="Resolution.HoldfastResolver"/> gives it.</summary>
public sealed class HoldfastResolutionOptions
{
    /// <summary>RFC 8305 §5 "Connection Attempt Delay": the next address is tried when the current attempt has not connected after this. Default 250 ms.</summary>
    public TimeSpan ConnectAttemptDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>One connection attempt to one address gives up after this. Default 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An address that refused or timed out is skipped this long (its circuit is open) while others are available. Default 30 seconds.</summary>
    public TimeSpan AddressCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <see cref="SocketsHttpHandler.PooledConnectionLifetime"/>: a pooled connection is replaced after this, so a
    /// changed answer (a target drained, a new one added) reaches a busy client. Default 1 minute.
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (ConnectAttemptDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ConnectAttemptDelay)}: {ConnectAttemptDelay} must be positive");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ConnectTimeout)}: {ConnectTimeout} must be positive");
        }

        if (AddressCooldown < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(AddressCooldown)}: {AddressCooldown} must not be negative");
        }

        if (PooledConnectionLifetime < TimeSpan.Zero && PooledConnectionLifetime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{nameof(PooledConnectionLifetime)}: {PooledConnectionLifetime} must not be negative");
        }
    }
}
