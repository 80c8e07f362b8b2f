using Holdfast.Dns.Names;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// The history of applied changes per zone that IXFR answers from (RFC 1995 §4). It watches every
/// <see cref="ZoneSet"/> the server publishes and, for each zone whose serial moved forward (RFC 1982), keeps
/// the difference between the previous snapshot and the new one. Bounded: at most <c>depth</c> steps and
/// <c>maxRecords</c> changed records per zone, the oldest dropped first. Thread-safe (one lock; diffs are
/// computed on the publishing thread, never on a query).
/// </summary>
/// <remarks>
/// <code>
/// new serial vs newest kept     journal
/// after (RFC 1982)              adds the step newest → new
/// equal                         ignored (same content is expected; a builder that changes data without
///                               bumping the serial is not followed, as a secondary would not follow it)
/// before, or 2^31 apart         history cleared; the zone restarts at the new serial (IXFR falls back to AXFR)
/// </code>
/// </remarks>
public sealed class ZoneJournal
{
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], History> _zones = new(WireNameComparer.Instance);
    private readonly int _depth;
    private readonly int _maxRecords;

    public ZoneJournal(int depth, int maxRecords)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRecords);
        _depth = depth;
        _maxRecords = maxRecords;
    }

    /// <summary>Times a zone's history was cleared because its serial went backwards.</summary>
    public long Resets { get; private set; }

    /// <summary>Records every zone of <paramref name="zones"/>; zones no longer present lose their history.</summary>
    public void Observe(ZoneSet zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        lock (_lock)
        {
            var present = new HashSet<byte[]>(WireNameComparer.Instance);
            foreach (var zone in zones.Zones)
            {
                present.Add(zone.Apex);
                ObserveLocked(zone);
            }

            foreach (var gone in _zones.Keys.Where(k => !present.Contains(k)).ToList())
            {
                _zones.Remove(gone);
            }
        }
    }

    /// <summary>Records one zone's snapshot.</summary>
    public void Observe(ZoneSnapshot zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        lock (_lock)
        {
            ObserveLocked(zone);
        }
    }

    /// <summary>
    /// Records <paramref name="zone"/> only when the journal does not know the zone yet or the serial is after its
    /// newest (RFC 1982); never clears history. Transfers call it so that an IXFR arriving between the engine's swap
    /// and the journal's own update still gets the newest step; an older snapshot seen by a slow request changes nothing.
    /// </summary>
    public void CatchUp(ZoneSnapshot zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        lock (_lock)
        {
            if (!_zones.TryGetValue(zone.Apex, out var history) || SerialNumber.IsBefore(history.Newest.Serial, zone.Serial))
            {
                ObserveLocked(zone);
            }
        }
    }

    /// <summary>
    /// The steps leading from <paramref name="fromSerial"/> to the newest snapshot of the zone, oldest first, and
    /// that snapshot. False when the zone is unknown or <paramref name="fromSerial"/> is not the start of a kept step
    /// (too old, never seen, or from before a reset): the caller falls back to a full transfer.
    /// </summary>
    public bool TryGetChanges(ReadOnlySpan<byte> apex, uint fromSerial, out IReadOnlyList<ZoneDiff> steps, out ZoneSnapshot? newest)
    {
        steps = [];
        newest = null;
        lock (_lock)
        {
            if (!_zones.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(apex, out var history))
            {
                return false;
            }

            newest = history.Newest;
            var start = history.Steps.FindIndex(s => s.FromSerial == fromSerial);
            if (start < 0)
            {
                return false;
            }

            steps = history.Steps.GetRange(start, history.Steps.Count - start);
            return true;
        }
    }

    /// <summary>The newest snapshot kept for the zone, or null.</summary>
    public ZoneSnapshot? Newest(ReadOnlySpan<byte> apex)
    {
        lock (_lock)
        {
            return _zones.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(apex, out var history) ? history.Newest : null;
        }
    }

    /// <summary>Serials from which IXFR can answer incrementally, oldest first (for tests and diagnostics).</summary>
    public IReadOnlyList<uint> KnownSerials(ReadOnlySpan<byte> apex)
    {
        lock (_lock)
        {
            return _zones.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(apex, out var history)
                ? [.. history.Steps.Select(s => s.FromSerial)]
                : [];
        }
    }

    private void ObserveLocked(ZoneSnapshot zone)
    {
        if (!_zones.TryGetValue(zone.Apex, out var history))
        {
            _zones[zone.Apex] = new History(zone);
            return;
        }

        if (ReferenceEquals(history.Newest, zone) || zone.Serial == history.Newest.Serial)
        {
            return;
        }

        if (!SerialNumber.IsBefore(history.Newest.Serial, zone.Serial))
        {
            Resets++;
            _zones[zone.Apex] = new History(zone);
            return;
        }

        // A snapshot edited from the one the journal holds carries its own step, made from the same change (O(changed));
        // any other (a zone built whole, a step skipped) is compared owner by owner.
        if (zone.Change is { } change && change.FromSerial == history.Newest.Serial && change.ToSerial == zone.Serial)
        {
            history.Steps.Add(change);
        }
        else
        {
            var (deleted, added) = ZoneContent.Difference(history.Newest, zone);
            history.Steps.Add(new ZoneDiff(ZoneContent.Soa(history.Newest), ZoneContent.Soa(zone), deleted, added));
        }

        history.Newest = zone;
        Trim(history);
    }

    private void Trim(History history)
    {
        var total = history.Steps.Sum(s => s.RecordCount);
        while (history.Steps.Count > 0 && (history.Steps.Count > _depth || total > _maxRecords))
        {
            total -= history.Steps[0].RecordCount;
            history.Steps.RemoveAt(0);
        }
    }

    private sealed class History(ZoneSnapshot newest)
    {
        public ZoneSnapshot Newest { get; set; } = newest;

        public List<ZoneDiff> Steps { get; } = [];
    }
}
