using Holdfast.ControlPlane.Guardrails;

namespace Holdfast.Server.Dashboard;

/// <summary>
/// Guardrail decisions per minute over the last hour, by verdict, for the overview's chart: 60 one-minute buckets
/// on the host's clock. Process memory only (like the metrics): the audit log keeps every decision durably.
/// Thread-safe; <see cref="Record"/> is O(1) and called on the planner's and enactors' flow.
/// </summary>
public sealed class GuardrailTimeline
{
    /// <summary>Minutes shown.</summary>
    public const int Minutes = 60;

    private static readonly GuardrailVerdict[] s_verdicts = Enum.GetValues<GuardrailVerdict>();
    private readonly Lock _lock = new();
    private readonly long[] _minute = new long[Minutes];
    private readonly int[,] _counts = new int[Minutes, s_verdicts.Length];
    private readonly TimeProvider _time;

    public GuardrailTimeline(TimeProvider time) => _time = time;

    public static IReadOnlyList<GuardrailVerdict> Verdicts => s_verdicts;

    public void Record(GuardrailVerdict verdict)
    {
        var minute = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var slot = (int)(minute % Minutes);
        lock (_lock)
        {
            if (_minute[slot] != minute)
            {
                _minute[slot] = minute;
                for (var v = 0; v < s_verdicts.Length; v++)
                {
                    _counts[slot, v] = 0;
                }
            }

            _counts[slot, (int)verdict]++;
        }
    }

    /// <summary>The last <see cref="Minutes"/> minutes, oldest first: each minute's start and its count per verdict (indexed by <see cref="Verdicts"/>).</summary>
    public IReadOnlyList<(DateTimeOffset Minute, int[] Counts)> Snapshot()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var result = new List<(DateTimeOffset, int[])>(Minutes);
        lock (_lock)
        {
            for (var minute = now - Minutes + 1; minute <= now; minute++)
            {
                var slot = (int)(minute % Minutes);
                var counts = new int[s_verdicts.Length];
                if (_minute[slot] == minute)
                {
                    for (var v = 0; v < counts.Length; v++)
                    {
                        counts[v] = _counts[slot, v];
                    }
                }

                result.Add((DateTimeOffset.FromUnixTimeSeconds(minute * 60), counts));
            }
        }

        return result;
    }
}
