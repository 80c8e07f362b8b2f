namespace Holdfast.ControlPlane.Loops;

/// <summary>
/// The endpoints a worker must look at again, with a wake-up: events (a health change, a plan written) mark names
/// dirty, the worker drains them in batches, and a full pass can be requested (after a compacted feed, a global
/// unfreeze). A hint only: losing it loses no correctness, because the worker's slow full pass looks at everything.
/// Thread-safe; marks made while a batch is processed wake the worker again.
/// </summary>
public sealed class DirtySet
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly PriorityQueue<string, DateTimeOffset> _deferred = new();
    private HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly AsyncSignal _signal = new();
    private bool _fullPass;
    private DateTimeOffset? _oldest;

    public DirtySet(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>How many names wait.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _names.Count;
            }
        }
    }

    /// <summary>True when a full pass is asked for and not yet taken.</summary>
    public bool FullPassRequested
    {
        get
        {
            lock (_lock)
            {
                return _fullPass;
            }
        }
    }

    /// <summary>When the oldest waiting mark was made (null when nothing waits): the worker's lag.</summary>
    public DateTimeOffset? OldestMark
    {
        get
        {
            lock (_lock)
            {
                return _oldest;
            }
        }
    }

    public void Mark(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (_names.Add(name))
            {
                _oldest ??= _time.GetUtcNow();
                Wake();
            }
        }
    }

    public void Mark(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        lock (_lock)
        {
            var added = false;
            foreach (var name in names)
            {
                added |= _names.Add(name);
            }

            if (added)
            {
                _oldest ??= _time.GetUtcNow();
                Wake();
            }
        }
    }

    /// <summary>Marks <paramref name="name"/> dirty at <paramref name="at"/> on the injected clock (a removal the velocity limit lets go then).</summary>
    public void MarkAt(string name, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            _deferred.Enqueue(name, at);
            Wake();
        }
    }

    /// <summary>Asks for a full pass (it replaces whatever is dirty).</summary>
    public void RequestFullPass()
    {
        lock (_lock)
        {
            _fullPass = true;
            _oldest ??= _time.GetUtcNow();
            Wake();
        }
    }

    /// <summary>
    /// Takes what waits: a full pass (and then every dirty name is dropped, the pass covers them), or the dirty names.
    /// </summary>
    public (bool FullPass, IReadOnlyList<string> Names) Take()
    {
        lock (_lock)
        {
            var full = _fullPass;
            var names = _names;
            _fullPass = false;
            _names = new HashSet<string>(StringComparer.Ordinal);
            _oldest = null;
            return full ? (true, []) : (false, [.. names.Order(StringComparer.Ordinal)]);
        }
    }

    /// <summary>
    /// Completes when something is dirty (a deferred mark fell due) or a full pass is asked for, or after
    /// <paramref name="maxWait"/> on the injected clock, whichever first. Never throws on timeout.
    /// </summary>
    public async Task WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        long version;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_deferred.TryPeek(out var name, out var at) && at <= now)
            {
                _deferred.Dequeue();
                if (_names.Add(name))
                {
                    _oldest ??= now;
                }
            }

            if (_fullPass || _names.Count > 0)
            {
                return;
            }

            if (_deferred.TryPeek(out _, out var next) && next - now < maxWait)
            {
                maxWait = next - now;
            }

            version = _signal.Version;
        }

        if (maxWait <= TimeSpan.Zero)
        {
            return;
        }

        await _signal.WaitAsync(version, maxWait, _time, cancellationToken);
    }

    // Called under _lock: the signal completes its waiters outside its own lock, and their continuations run
    // asynchronously, so no waiter runs inside this lock.
    private void Wake() => _signal.Set();
}
