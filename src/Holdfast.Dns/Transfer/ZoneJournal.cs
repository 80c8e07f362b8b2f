using Holdfast.Dns.Names;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// The history of applied changes per zone that IXFR answers from (RFC 1995 §4). It watches every
/// <see cref="ZoneSet"/> the server publishes and, for each zone whose serial moved forward (RFC 1982), keeps
/// the difference between the previous snapshot and the new one. Bounded: at most <c>depth</c> steps,
/// <c>maxRecords</c> changed records and half of <c>maxBytes</c> (in the file format's octets) per zone, the oldest
/// dropped first. Thread-safe (one lock; diffs are computed on the publishing thread, never on a query).
/// </summary>
/// <remarks>
/// <code>
/// new serial vs newest kept     journal
/// after (RFC 1982)              adds the step newest → new
/// equal                         ignored (same content is expected; a builder that changes data without
///                               bumping the serial is not followed, as a secondary would not follow it)
/// before, or 2^31 apart         history cleared; the zone restarts at the new serial (IXFR falls back to AXFR)
/// </code>
/// A journal made by <see cref="Persistent"/> also keeps each zone's steps in <c>DIR/&lt;apex&gt;.journal</c>
/// (<see cref="ZoneJournalFile"/>, written in the background by <see cref="ZoneJournalWriter"/>) and, at a zone's
/// first publish in this process, reads that file back. The history read is kept only when it lines up with the
/// zone served: its newest step ends at the served SOA (serial and all) and at the same content (the
/// <see cref="ZoneDigest"/> each step carries). Otherwise it is dropped, since answering IXFR from a history that
/// does not end at the zone served would leave a secondary with other records than ours under the same serial;
/// the whole zone is always right.
/// </remarks>
public sealed class ZoneJournal : IAsyncDisposable
{
    /// <summary>Room for the magic and header frame of the longest apex: kept steps are at most half of what is left.</summary>
    private const int HeaderRoom = 512;
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], History> _zones = new(WireNameComparer.Instance);
    private readonly HashSet<byte[]> _seen = new(WireNameComparer.Instance);
    private readonly int _depth;
    private readonly int _maxRecords;
    private readonly long _maxKeptBytes;
    private readonly ZoneJournalWriter? _writer;
    private readonly TimeProvider? _time;
    private long _epochs;

    public ZoneJournal(int depth, int maxRecords)
        : this(depth, maxRecords, long.MaxValue)
    {
    }

    /// <param name="maxBytes">Bound per zone in the file format's octets; the steps kept are at most half of it (see <see cref="ZoneJournalWriter"/>).</param>
    public ZoneJournal(int depth, int maxRecords, long maxBytes)
        : this(depth, maxRecords, maxBytes, null, null)
    {
    }

    private ZoneJournal(int depth, int maxRecords, long maxBytes, string? directory, TimeProvider? time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRecords);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, ZoneTransferOptions.MinJournalMaxBytes);
        _depth = depth;
        _maxRecords = maxRecords;
        _maxKeptBytes = maxBytes == long.MaxValue ? long.MaxValue : (maxBytes - HeaderRoom) / 2;
        _time = time;

        // Only a journal with files reads the clock (to name a corrupt file set aside).
        _writer = directory is null ? null : new ZoneJournalWriter(this, directory, maxBytes);
    }

    /// <summary>
    /// A journal that keeps each zone's history in <paramref name="directory"/> (created if missing), bounded by
    /// <see cref="ZoneTransferOptions.JournalDepth"/>, <see cref="ZoneTransferOptions.JournalMaxRecords"/> and
    /// <see cref="ZoneTransferOptions.JournalMaxBytes"/> (the most a zone's file takes on disk). Subscribe to
    /// <see cref="Noticed"/> before the first <see cref="Observe(ZoneSet)"/>: files are read at each zone's first publish.
    /// Dispose it (after the handler that uses it) to write what is pending.
    /// </summary>
    /// <param name="time">Names a corrupt file set aside (<c>FILE.corrupt-20261203T120000Z</c>).</param>
    public static ZoneJournal Persistent(string directory, ZoneTransferOptions limits, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        limits.Validate();
        Directory.CreateDirectory(directory);
        return new ZoneJournal(limits.JournalDepth, limits.JournalMaxRecords, limits.JournalMaxBytes, directory, time);
    }

    /// <summary>Times a zone's history was cleared because its serial went backwards.</summary>
    public long Resets { get; private set; }

    /// <summary>Files read, discarded, cut, set aside or failing to write (persistent journals only). Raised under the journal's lock or on its writer: log, do not block.</summary>
    public event Action<JournalNotice>? Noticed;

    /// <summary>Records every zone of <paramref name="zones"/>; zones no longer present lose their history (and their file).</summary>
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
                _writer?.MarkDirty(gone);
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
            var start = history.Steps.FindIndex(s => s.Diff.FromSerial == fromSerial);
            if (start < 0)
            {
                return false;
            }

            steps = [.. history.Steps.Skip(start).Select(s => s.Diff)];
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
                ? [.. history.Steps.Select(s => s.Diff.FromSerial)]
                : [];
        }
    }

    /// <summary>Completes once every change recorded before the call is in the files (immediately for a journal in memory).</summary>
    public Task FlushAsync() => _writer?.FlushAsync() ?? Task.CompletedTask;

    /// <summary>Writes what is pending to the files and stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
    }

    /// <summary>The writer's copy of one zone's history.</summary>
    internal JournalCapture Capture(byte[] apex)
    {
        lock (_lock)
        {
            return _zones.TryGetValue(apex, out var history)
                ? new JournalCapture(true, history.Epoch, [.. history.Steps], history.Adopted)
                : new JournalCapture(false, 0, [], null);
        }
    }

    internal void Report(JournalNotice notice) => Noticed?.Invoke(notice);

    private void ObserveLocked(ZoneSnapshot zone)
    {
        if (!_zones.TryGetValue(zone.Apex, out var history))
        {
            // The file is read once per process, at the zone's first publish: a zone dropped and served again later in
            // this process starts afresh (its file was deleted with it), and no read races the writer.
            _zones[zone.Apex] = _writer is not null && _seen.Add(zone.Apex) ? Load(zone) : Start(zone);
            _writer?.MarkDirty(zone.Apex);
            return;
        }

        if (ReferenceEquals(history.Newest, zone) || zone.Serial == history.Newest.Serial)
        {
            return;
        }

        if (!SerialNumber.IsBefore(history.Newest.Serial, zone.Serial))
        {
            Resets++;
            _zones[zone.Apex] = Start(zone);
            _writer?.MarkDirty(zone.Apex);
            return;
        }

        // A snapshot edited from the one the journal holds carries its own step, made from the same change (O(changed));
        // any other (a zone built whole, a step skipped) is compared owner by owner.
        ZoneDiff step;
        if (zone.Change is { } change && change.FromSerial == history.Newest.Serial && change.ToSerial == zone.Serial)
        {
            step = change;
        }
        else
        {
            var (deleted, added) = ZoneContent.Difference(history.Newest, zone);
            step = new ZoneDiff(ZoneContent.Soa(history.Newest), ZoneContent.Soa(zone), deleted, added);
        }

        // Digests only matter to a file; O(changed records) per step, like the step itself.
        var digest = _writer is null ? 0 : ZoneDigest.After(history.Digest, step);
        history.Steps.Add(new JournalStep(step, digest, ZoneJournalFile.FrameLength(step)));
        history.Digest = digest;
        history.Newest = zone;
        Trim(history);
        _writer?.MarkDirty(zone.Apex);
    }

    /// <summary>A history with no steps at <paramref name="zone"/>; its digest is O(records), once per start of a history.</summary>
    private History Start(ZoneSnapshot zone) => new(zone, ++_epochs, _writer is null ? 0 : ZoneDigest.Of(zone));

    /// <summary>The zone's history from its file when that lines up with <paramref name="zone"/>, else a fresh one (each outcome reported).</summary>
    private History Load(ZoneSnapshot zone)
    {
        var path = _writer!.PathOf(zone.Apex);
        var apex = zone.ApexText;
        JournalFileContents contents;
        try
        {
            contents = ZoneJournalFile.Read(path, zone.Apex);
            if (contents.Status == JournalFileStatus.TornTail)
            {
                // A crash while appending: the whole frames before it stand, the rest is cut off so that appends follow them.
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read))
                {
                    file.SetLength(contents.ValidLength);
                    file.Flush(flushToDisk: true);
                }

                Report(new JournalNotice(JournalNoticeKind.TornTailCut, apex, path, $"{contents.TornLength} octet(s) after offset {contents.ValidLength} were a write cut short; {contents.Steps.Count} whole step(s) kept"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Report(new JournalNotice(JournalNoticeKind.Corrupt, apex, path, $"cannot be read ({ex.Message}); the history starts empty"));
            return Start(zone);
        }

        if (contents.Status == JournalFileStatus.Missing)
        {
            return Start(zone);
        }

        if (contents.Status == JournalFileStatus.Corrupt)
        {
            Report(new JournalNotice(JournalNoticeKind.Corrupt, apex, path, $"{contents.Problem}; {SetAside(path)}, the history starts empty (IXFR from older serials gets the whole zone)"));
            return Start(zone);
        }

        var steps = contents.Steps;
        if (steps.Count == 0)
        {
            var empty = Start(zone);
            empty.Adopted = new AdoptedFile(contents.ValidLength, 0, null);
            return empty;
        }

        var newest = steps[^1];
        var range = $"{steps.Count} step(s), serials {steps[0].Diff.FromSerial} -> {newest.Diff.ToSerial}";
        string? mismatch = null;
        var digest = 0UL;
        if (newest.Diff.ToSerial != zone.Serial)
        {
            mismatch = $"it ends at serial {newest.Diff.ToSerial}, the zone is served at serial {zone.Serial}";
        }
        else if (!TransferRecordComparer.Instance.Equals(newest.Diff.To, ZoneContent.Soa(zone)))
        {
            mismatch = $"the SOA of serial {zone.Serial} differs from the one served";
        }
        else if ((digest = ZoneDigest.Of(zone)) != newest.DigestAfter)
        {
            mismatch = $"serial {zone.Serial} is served with other records than it ends with (changed without a new serial)";
        }

        if (mismatch is not null)
        {
            Report(new JournalNotice(JournalNoticeKind.Discarded, apex, path, $"{range} dropped: {mismatch}; IXFR from older serials gets the whole zone"));
            return Start(zone);
        }

        var history = new History(zone, ++_epochs, digest) { Adopted = new AdoptedFile(contents.ValidLength, steps.Count, newest.Diff) };
        history.Steps.AddRange(steps);
        Trim(history);
        Report(new JournalNotice(JournalNoticeKind.Loaded, apex, path, range));
        return history;
    }

    /// <summary>Renames a corrupt file out of the way (kept for a post-mortem); says what became of it.</summary>
    private string SetAside(string path)
    {
        var aside = $"{path}.corrupt-{_time!.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)}";
        try
        {
            File.Move(path, aside, overwrite: true);
            return $"set aside as {Path.GetFileName(aside)}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"could not be set aside ({ex.Message}) and will be overwritten";
        }
    }

    private void Trim(History history)
    {
        var records = 0L;
        var bytes = 0L;
        foreach (var step in history.Steps)
        {
            records += step.Diff.RecordCount;
            bytes += step.FrameLength;
        }

        var drop = 0;
        while (drop < history.Steps.Count && (history.Steps.Count - drop > _depth || records > _maxRecords || bytes > _maxKeptBytes))
        {
            records -= history.Steps[drop].Diff.RecordCount;
            bytes -= history.Steps[drop].FrameLength;
            drop++;
        }

        history.Steps.RemoveRange(0, drop);
    }

    private sealed class History(ZoneSnapshot newest, long epoch, ulong digest)
    {
        public ZoneSnapshot Newest { get; set; } = newest;

        public List<JournalStep> Steps { get; } = [];

        /// <summary>Changes when the history starts over, so the writer knows to rewrite the file.</summary>
        public long Epoch { get; } = epoch;

        /// <summary>The <see cref="ZoneDigest"/> of <see cref="Newest"/> (0 in a journal without files).</summary>
        public ulong Digest { get; set; } = digest;

        /// <summary>Set when this history was read from the zone's file: that much of the file is already written.</summary>
        public AdoptedFile? Adopted { get; set; }
    }
}
