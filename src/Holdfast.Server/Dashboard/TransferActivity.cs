using System.Collections.Concurrent;
using Holdfast.Dns.Transfer;

namespace Holdfast.Server.Dashboard;

/// <summary>
/// The last zone transfer served to each secondary and the last NOTIFY outcome for each target, per zone, for the zones
/// page. Process memory only (the log keeps every line); fed by the transfer handler's and notifier's events.
/// </summary>
public sealed class TransferActivity
{
    private readonly ConcurrentDictionary<(string Zone, string Client), (DateTimeOffset At, TransferLogEntry Entry)> _transfers = new();
    private readonly ConcurrentDictionary<(string Zone, string Target), (DateTimeOffset At, NotifyOutcome Outcome)> _notifies = new();
    private readonly TimeProvider _time;

    public TransferActivity(TimeProvider time) => _time = time;

    public void Served(TransferLogEntry entry) => _transfers[(entry.Zone, entry.Client.ToString())] = (_time.GetUtcNow(), entry);

    public void Notified(NotifyOutcome outcome) => _notifies[(outcome.Zone, outcome.Target.ToString())] = (_time.GetUtcNow(), outcome);

    public IReadOnlyList<(DateTimeOffset At, TransferLogEntry Entry)> TransfersOf(string zone) =>
        [.. _transfers.Where(t => t.Key.Zone == zone).Select(t => t.Value).OrderBy(t => t.Entry.Client.ToString(), StringComparer.Ordinal)];

    public (DateTimeOffset At, NotifyOutcome Outcome)? LastNotify(string zone, string target) =>
        _notifies.TryGetValue((zone, target), out var last) ? last : null;
}
