using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Keeps per-endpoint log lines readable at scale: up to <see cref="PerSecond"/> lines a second are written one by one;
/// beyond that they are counted and one summary line (event 1107) says how many plans and applies went unlogged in that
/// second. A quiet host arms no timer: the summary's one-shot timer is armed by the first line over budget. Thread-safe.
/// </summary>
internal sealed class LogBudget(ILogger logger, TimeProvider time)
{
    public const int PerSecond = 20;
    private readonly Lock _lock = new();
    private DateTimeOffset _windowStart;
    private int _logged;
    private int _plans;
    private int _applies;
    private ITimer? _flush;

    /// <summary>True when the caller may write its line; false when it was counted into the next summary.</summary>
    public bool TryTake(bool isPlan)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now - _windowStart >= TimeSpan.FromSeconds(1))
            {
                _windowStart = now;
                _logged = 0;
            }

            if (_logged < PerSecond)
            {
                _logged++;
                return true;
            }

            if (isPlan)
            {
                _plans++;
            }
            else
            {
                _applies++;
            }

            _flush ??= time.CreateTimer(_ => Flush(), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            return false;
        }
    }

    private void Flush()
    {
        int plans, applies;
        lock (_lock)
        {
            (plans, applies) = (_plans, _applies);
            (_plans, _applies) = (0, 0);
            _flush?.Dispose();
            _flush = null;
        }

        HostLog.ActivitySummary(logger, plans, applies, PerSecond);
    }
}
