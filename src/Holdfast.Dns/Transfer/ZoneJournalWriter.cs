using System.Buffers;
using System.Threading.Channels;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// Persists a <see cref="ZoneJournal"/>'s histories to <c>DIR/&lt;apex&gt;.journal</c> (<see cref="ZoneJournalFile"/>) on
/// one background task. The publishing thread only marks a zone dirty (O(1)); the writer then copies the zone's kept
/// steps under the journal's lock and does the I/O outside it.
/// </summary>
/// <remarks>
/// Why in the background, not on the publishing thread: the journal is not needed for correctness. A step that did
/// not reach the disk before a crash leaves a file whose newest serial is behind the one served at the next start, so
/// that history is discarded and IXFR falls back to the whole zone, which is always right. An fsync per publish
/// would put a disk flush (milliseconds on many disks) inside every swap of served data, and a burst of applies
/// would pay it once each. Here the writer takes every zone marked since its last pass at once and syncs each file
/// once: group commit, whatever the publish rate.
/// <code>
/// the zone's history, as captured               the file
/// new since the last pass (same history)        its new steps appended (one write, one fsync), unless the file would
///                                               pass MaxBytes or hold more than twice the kept steps: then rewritten
///                                               whole with the kept steps
/// started over (first publish, serial back)     rewritten whole: header and kept steps to FILE.tmp, fsync, rename
/// gone (the zone is no longer served)           deleted
/// </code>
/// Kept steps are at most half of MaxBytes (the journal trims to that), so after a rewrite at least half of the
/// bound is appended before the next one: each step is written at most twice on average, and the file never
/// exceeds MaxBytes.
/// </remarks>
internal sealed class ZoneJournalWriter : IAsyncDisposable
{
    private readonly ZoneJournal _journal;
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly Lock _lock = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Dictionary<byte[], FileState> _files = new(WireNameComparer.Instance);
    private readonly List<TaskCompletionSource> _waiters = [];
    private readonly Task _loop;
    private HashSet<byte[]> _dirty = new(WireNameComparer.Instance);
    private bool _stopping;

    public ZoneJournalWriter(ZoneJournal journal, string directory, long maxBytes)
    {
        _journal = journal;
        _directory = directory;
        _maxBytes = maxBytes;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The file of a zone.</summary>
    public string PathOf(ReadOnlySpan<byte> apex) => Path.Combine(_directory, ZoneJournalFile.FileNameFor(apex));

    /// <summary>Called under the journal's lock whenever a zone's history changed. O(1).</summary>
    public void MarkDirty(byte[] apex)
    {
        lock (_lock)
        {
            _dirty.Add(apex);
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Completes once every change marked before the call is on disk (or failed and was reported).</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_stopping)
            {
                // Disposal writes whatever is marked: once it has begun, there is nothing left to wait for here.
                return _loop;
            }

            _waiters.Add(done);
        }

        _wake.Writer.TryWrite(true);
        return done.Task;
    }

    /// <summary>Writes what is still marked, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _stopping = true;
        }

        _wake.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        while (await _wake.Reader.WaitToReadAsync())
        {
            _wake.Reader.TryRead(out _);
            Pass();
        }

        // Marks made while the channel was closing had no token left to wake us.
        Pass();
    }

    private void Pass()
    {
        HashSet<byte[]> dirty;
        List<TaskCompletionSource> waiters;
        lock (_lock)
        {
            // Waiters first, then the marks: a waiter added before this pass had its marks made before it, so they are in this set.
            waiters = [.. _waiters];
            _waiters.Clear();
            dirty = _dirty;
            _dirty = new HashSet<byte[]>(WireNameComparer.Instance);
        }

        foreach (var apex in dirty)
        {
            var capture = _journal.Capture(apex);
            var path = PathOf(apex);
            try
            {
                Sync(apex, path, capture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The next change of this zone rewrites its file whole (an append may have left part of a frame behind).
                if (_files.TryGetValue(apex, out var state))
                {
                    state.NeedsRewrite = true;
                }

                _journal.Report(new JournalNotice(JournalNoticeKind.WriteFailed, Names.WireName.ToText(apex), path, ex.Message));
            }
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult();
        }
    }

    private void Sync(byte[] apex, string path, JournalCapture capture)
    {
        if (!capture.Exists)
        {
            _files.Remove(apex);
            File.Delete(path);
            return;
        }

        if (!_files.TryGetValue(apex, out var state) || state.Epoch != capture.Epoch)
        {
            // A history adopted from this file at the first publish is already on disk, up to the length read.
            state = capture.Adopted is { } adopted
                ? new FileState(capture.Epoch) { Length = adopted.Length, Steps = adopted.Steps, Last = adopted.Last }
                : new FileState(capture.Epoch) { NeedsRewrite = true };
            _files[apex] = state;
        }

        var steps = capture.Steps;
        var next = state.Last is null ? 0 : IndexOf(steps, state.Last) + 1;
        if (state.NeedsRewrite || (state.Last is not null && next == 0))
        {
            // Never written in this history, or its last written step was trimmed before we got here: the kept steps whole.
            Rewrite(apex, path, steps, state);
            return;
        }

        var appended = 0L;
        for (var i = next; i < steps.Count; i++)
        {
            appended += steps[i].FrameLength;
        }

        if (appended == 0)
        {
            return;
        }

        // Also bounded in steps: a file holding twice the steps kept is rewritten with the kept ones, so a restart reads
        // about what the journal keeps (depth), not everything since the last rewrite by size.
        if (state.Length + appended > _maxBytes || state.Steps + (steps.Count - next) > 2 * steps.Count)
        {
            Rewrite(apex, path, steps, state);
            return;
        }

        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            file.Position = state.Length;
            WriteSteps(file, steps, next);
            file.Flush(flushToDisk: true);
        }

        state.Length += appended;
        state.Steps += steps.Count - next;
        state.Last = steps[^1].Diff;
    }

    private static void Rewrite(byte[] apex, string path, IReadOnlyList<JournalStep> steps, FileState state)
    {
        var temporary = path + ".tmp";
        long length;
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            file.Write(ZoneJournalFile.Header(apex));
            WriteSteps(file, steps, 0);
            file.Flush(flushToDisk: true);
            length = file.Length;
        }

        File.Move(temporary, path, overwrite: true);
        state.Length = length;
        state.Steps = steps.Count;
        state.Last = steps.Count > 0 ? steps[^1].Diff : null;
        state.NeedsRewrite = false;
    }

    private static void WriteSteps(FileStream file, IReadOnlyList<JournalStep> steps, int from)
    {
        for (var i = from; i < steps.Count; i++)
        {
            var step = steps[i];
            var buffer = ArrayPool<byte>.Shared.Rent(step.FrameLength);
            try
            {
                ZoneJournalFile.WriteStep(buffer, step);
                file.Write(buffer, 0, step.FrameLength);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static int IndexOf(IReadOnlyList<JournalStep> steps, ZoneDiff diff)
    {
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(steps[i].Diff, diff))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>What this writer knows is in a zone's file (writer task only).</summary>
    private sealed class FileState(long epoch)
    {
        public long Epoch { get; } = epoch;

        public long Length { get; set; }

        /// <summary>How many steps the file holds.</summary>
        public int Steps { get; set; }

        /// <summary>The newest step in the file, or null when it holds none.</summary>
        public ZoneDiff? Last { get; set; }

        public bool NeedsRewrite { get; set; }
    }
}
