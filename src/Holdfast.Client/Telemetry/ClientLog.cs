using System.Net;
using Microsoft.Extensions.Logging;

namespace Holdfast.Client.Telemetry;

/// <summary>Every log line of Holdfast.Client, with stable event ids (1xxx resolver, 2xxx connect, 3xxx retry).</summary>
internal static partial class ClientLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Upstream {Upstream} failed for {Name} {Type}: {Reason}")]
    public static partial void UpstreamFailed(ILogger logger, IPEndPoint upstream, string name, string type, string reason);

    [LoggerMessage(1002, LogLevel.Warning, "Every upstream failed for {Name}; serving stale addresses {Age} past their expiry (RFC 8767)")]
    public static partial void StaleServed(ILogger logger, string name, TimeSpan age);

    [LoggerMessage(1003, LogLevel.Warning, "Suspect answer for {Name}: {Answer} where it had {Count} addresses; holding the last good ones for up to {Hold}")]
    public static partial void SuspectHeld(ILogger logger, string name, string answer, int count, TimeSpan hold);

    [LoggerMessage(1004, LogLevel.Warning, "Suspect answer for {Name} persisted past its hold of {Hold}; accepting {Answer}")]
    public static partial void SuspectHoldExpired(ILogger logger, string name, TimeSpan hold, string answer);

    [LoggerMessage(1005, LogLevel.Information, "Suspect answer for {Name} cleared: the upstreams answer with addresses again")]
    public static partial void SuspectCleared(ILogger logger, string name);

    [LoggerMessage(1006, LogLevel.Warning, "Every upstream failed for {Name} and nothing is cached; using the last-known-good addresses saved {Age} ago")]
    public static partial void LastKnownGoodUsed(ILogger logger, string name, TimeSpan age);

    [LoggerMessage(1007, LogLevel.Warning, "Could not write the last-known-good file {Path}")]
    public static partial void LastKnownGoodWriteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1008, LogLevel.Warning, "Could not read the last-known-good file {Path}; starting without it")]
    public static partial void LastKnownGoodReadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1009, LogLevel.Debug, "Truncated answer for {Name} from {Upstream}; asking again over TCP")]
    public static partial void TruncatedRetryingTcp(ILogger logger, string name, IPEndPoint upstream);

    [LoggerMessage(1010, LogLevel.Error, "Every upstream failed for {Name} and there is nothing to serve")]
    public static partial void ResolutionFailed(ILogger logger, string name);

    [LoggerMessage(2001, LogLevel.Warning, "Connecting to {Address} failed ({Reason}); skipping it for {Cooldown}")]
    public static partial void AddressCircuitOpened(ILogger logger, IPEndPoint address, string reason, TimeSpan cooldown);

    [LoggerMessage(3001, LogLevel.Debug, "Retry refused: the retry budget is spent ({Retries} retries for {Requests} requests in the window)")]
    public static partial void RetryBudgetExhausted(ILogger logger, long retries, long requests);
}
