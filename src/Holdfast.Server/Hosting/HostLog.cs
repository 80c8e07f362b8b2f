using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Every log line of the host, with stable event ids (documented in docs/operations.md): operators filter and
/// alert on them, so an id is never reused for another meaning.
/// </summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 1000, EventName = "HostStarted", Level = LogLevel.Information, Message = "holdfast up: store {Store}, DNS {Dns}, API {Api}")]
    public static partial void HostStarted(ILogger logger, string store, string dns, string api);

    [LoggerMessage(EventId = 1001, EventName = "HostStopped", Level = LogLevel.Information, Message = "holdfast stopped; every acknowledged write is on disk")]
    public static partial void HostStopped(ILogger logger);

    [LoggerMessage(EventId = 1002, EventName = "TokenCreated", Level = LogLevel.Information, Message = "API token created in {Path} (mode 0600)")]
    public static partial void TokenCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 1100, EventName = "PlanWritten", Level = LogLevel.Information, Message = "plan {Endpoint} {Generation} ({Origin}): {Reason} [{Records}]")]
    public static partial void PlanWritten(ILogger logger, string endpoint, string generation, string origin, string reason, string records);

    [LoggerMessage(EventId = 1101, EventName = "GuardrailDecision", Level = LogLevel.Information, Message = "guardrail {Guardrail} {Verdict} on {Endpoint} by {Actor}: {Reason}")]
    public static partial void GuardrailDecision(ILogger logger, string guardrail, string verdict, string endpoint, string actor, string reason);

    [LoggerMessage(EventId = 1102, EventName = "GuardrailAlarm", Level = LogLevel.Warning, Message = "ALARM guardrail {Guardrail} {Verdict} on {Endpoint} by {Actor}: {Reason}")]
    public static partial void GuardrailAlarm(ILogger logger, string guardrail, string verdict, string endpoint, string actor, string reason);

    [LoggerMessage(EventId = 1103, EventName = "Applied", Level = LogLevel.Information, Message = "apply {Endpoint} {Generation} by {Enactor}: {Status}")]
    public static partial void Applied(ILogger logger, string endpoint, string generation, string enactor, string status);

    [LoggerMessage(EventId = 1104, EventName = "ApplyRefused", Level = LogLevel.Debug, Message = "apply {Endpoint} {Generation} by {Enactor}: {Status} ({Reason})")]
    public static partial void ApplyRefused(ILogger logger, string endpoint, string generation, string enactor, string status, string? reason);

    [LoggerMessage(EventId = 1105, EventName = "CleanedUp", Level = LogLevel.Debug, Message = "cleanup {Endpoint} by {Enactor}: deleted {Deleted}")]
    public static partial void CleanedUp(ILogger logger, string endpoint, string enactor, string deleted);

    [LoggerMessage(EventId = 1107, EventName = "ActivitySummary", Level = LogLevel.Information, Message = "{Plans} more plans written and {Applies} more applies in the last second, not logged one by one (more than {PerSecond} a second); see /api/v1/events")]
    public static partial void ActivitySummary(ILogger logger, int plans, int applies, int perSecond);

    [LoggerMessage(EventId = 1106, EventName = "PassFailed", Level = LogLevel.Warning, Message = "{Actor} pass failed for {Endpoint} (retried next pass)")]
    public static partial void PassFailed(ILogger logger, Exception exception, string actor, string endpoint);

    [LoggerMessage(EventId = 1200, EventName = "TargetHealthChanged", Level = LogLevel.Information, Message = "health {Endpoint}/{Target}: {Previous} -> {State} ({Reason})")]
    public static partial void TargetHealthChanged(ILogger logger, string endpoint, string target, string previous, string state, string reason);

    [LoggerMessage(EventId = 1201, EventName = "ProberFailed", Level = LogLevel.Warning, Message = "prober {Source} failed on {Endpoint}/{Target}")]
    public static partial void ProberFailed(ILogger logger, Exception exception, string source, string endpoint, string target);

    [LoggerMessage(EventId = 1300, EventName = "ConfigApplied", Level = LogLevel.Information, Message = "config: {Changes}")]
    public static partial void ConfigApplied(ILogger logger, string changes);

    [LoggerMessage(EventId = 1301, EventName = "ConfigReloadFailed", Level = LogLevel.Error, Message = "config reload refused, the previous configuration keeps running:{Errors}")]
    public static partial void ConfigReloadFailed(ILogger logger, string errors);

    [LoggerMessage(EventId = 1302, EventName = "ConfigNeedsRestart", Level = LogLevel.Warning, Message = "config reload: {Keys} changed; that takes effect on restart (the running values stay)")]
    public static partial void ConfigNeedsRestart(ILogger logger, string keys);

    [LoggerMessage(EventId = 1400, EventName = "LastGoodAnswerKept", Level = LogLevel.Warning, Message = "ALARM last-good-answer: {Endpoint} was given no records; still serving its previous ones")]
    public static partial void LastGoodAnswerKept(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1401, EventName = "ZoneRebuildFailed", Level = LogLevel.Error, Message = "rebuilding zones failed; the previous data keeps serving")]
    public static partial void ZoneRebuildFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1402, EventName = "DnsLoopFailed", Level = LogLevel.Error, Message = "DNS {Transport} loop stopped on a socket error")]
    public static partial void DnsLoopFailed(ILogger logger, Exception exception, string transport);

    [LoggerMessage(EventId = 1403, EventName = "EventWriteFailed", Level = LogLevel.Warning, Message = "could not record event {Action} in the audit log")]
    public static partial void EventWriteFailed(ILogger logger, Exception exception, string action);

    [LoggerMessage(EventId = 1404, EventName = "TransferServed", Level = LogLevel.Information, Message = "{Line}")]
    public static partial void TransferServed(ILogger logger, string line);

    [LoggerMessage(EventId = 1405, EventName = "NotifyCompleted", Level = LogLevel.Information, Message = "notify {Zone} serial {Serial} to {Target}: {Result} after {Attempts} attempt(s)")]
    public static partial void NotifyCompleted(ILogger logger, string zone, uint serial, string target, string result, int attempts);

    [LoggerMessage(EventId = 1406, EventName = "StaticZonesLoaded", Level = LogLevel.Information, Message = "zone files: {Summary}")]
    public static partial void StaticZonesLoaded(ILogger logger, string summary);

    [LoggerMessage(EventId = 1407, EventName = "StaticZonesRefused", Level = LogLevel.Error, Message = "zone files refused, the previous static records keep serving:{Errors}")]
    public static partial void StaticZonesRefused(ILogger logger, string errors);

    [LoggerMessage(EventId = 1408, EventName = "DnsRateLimited", Level = LogLevel.Warning, Message = "rate limiting {Prefix}: {Kind} responses above the limit are dropped or truncated (dns.rateLimit)")]
    public static partial void RateLimited(ILogger logger, string prefix, string kind);

    [LoggerMessage(EventId = 1409, EventName = "JournalRead", Level = LogLevel.Information, Message = "{Line}")]
    public static partial void JournalRead(ILogger logger, string line);

    [LoggerMessage(EventId = 1410, EventName = "JournalProblem", Level = LogLevel.Warning, Message = "{Line}")]
    public static partial void JournalProblem(ILogger logger, string line);

    [LoggerMessage(EventId = 1500, EventName = "Pushed", Level = LogLevel.Debug, Message = "push {Endpoint} to {Target}: {Previous} → {Generation}")]
    public static partial void Pushed(ILogger logger, string endpoint, string target, string previous, string generation);

    [LoggerMessage(EventId = 1501, EventName = "PushDriftRepaired", Level = LogLevel.Warning, Message = "push {Endpoint} to {Target}: drift repaired at {Generation}: {Detail}")]
    public static partial void PushDriftRepaired(ILogger logger, string endpoint, string target, string generation, string detail);

    [LoggerMessage(EventId = 1502, EventName = "PushConflict", Level = LogLevel.Information, Message = "push {Endpoint} to {Target}: {Detail}; read back and decided again")]
    public static partial void PushConflict(ILogger logger, string endpoint, string target, string detail);

    [LoggerMessage(EventId = 1503, EventName = "PushHeld", Level = LogLevel.Warning, Message = "push {Endpoint} to {Target} held ({Action}): {Reason}")]
    public static partial void PushHeld(ILogger logger, string endpoint, string target, string action, string reason);

    [LoggerMessage(EventId = 1504, EventName = "PushFailed", Level = LogLevel.Warning, Message = "push target {Target} failing ({Failures} in a row, at {Endpoint}), retry in {RetryInSeconds:0.0}s: {Error}")]
    public static partial void PushFailed(ILogger logger, string target, string endpoint, int failures, double retryInSeconds, string error);

    [LoggerMessage(EventId = 1505, EventName = "PushRecovered", Level = LogLevel.Information, Message = "push target {Target} answers again")]
    public static partial void PushRecovered(ILogger logger, string target);
    [LoggerMessage(EventId = 1003, EventName = "ServingLocalSnapshot", Level = LogLevel.Warning, Message = "DEGRADED: {Reason}")]
    public static partial void ServingLocalSnapshot(ILogger logger, string reason);

    [LoggerMessage(EventId = 1004, EventName = "StoreReachable", Level = LogLevel.Information, Message = "the store answers (attempt {Attempt}): the control plane starts")]
    public static partial void StoreReachable(ILogger logger, int attempt);
}
