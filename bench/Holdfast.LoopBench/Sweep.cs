using System.Collections.Concurrent;
using System.Net;

namespace Holdfast.LoopBench;

/// <summary>Asks the server about many names at once from a few sockets, bounded in parallelism and time.</summary>
internal static class Sweep
{
    private const int Parallel = 16;

    /// <summary>The answer to each name (null: no reply within the timeout, even after one retry).</summary>
    public static async Task<Dictionary<string, HashSet<string>?>> AskAsync(IPEndPoint server, IReadOnlyList<string> names)
    {
        var answers = new ConcurrentDictionary<string, HashSet<string>?>(StringComparer.Ordinal);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
        {
            using var probe = new DnsProbe(server);
            int i;
            while ((i = Interlocked.Increment(ref next)) < names.Count)
            {
                var answer = await probe.QueryAsync(names[i], TimeSpan.FromMilliseconds(500))
                    ?? await probe.QueryAsync(names[i], TimeSpan.FromMilliseconds(1000));
                answers[names[i]] = answer;
            }
        }));
        return new Dictionary<string, HashSet<string>?>(answers, StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits until every name's answer satisfies <paramref name="done"/>, sweeping the names not yet done again and again
    /// (a sweep of every name costs CPU the server under test needs, so only the missing ones are asked again).
    /// </summary>
    /// <returns>When the last name was first seen done (its reply's arrival), or null when the limit ran out.</returns>
    public static async Task<DateTimeOffset?> UntilAllAsync(IPEndPoint server, IReadOnlyList<string> names, Func<string, HashSet<string>?, bool> done, TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        IReadOnlyList<string> missing = names;
        DateTimeOffset last = DateTimeOffset.MinValue;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var answers = await AskAsync(server, missing);
            var still = answers.Where(a => !done(a.Key, a.Value)).Select(a => a.Key).ToList();
            if (still.Count < missing.Count)
            {
                last = DateTimeOffset.UtcNow; // the sweep's end bounds when its last success arrived
            }

            missing = still;
            if (missing.Count == 0)
            {
                return last;
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>
    /// For a server that publishes all names at once (a restart loads one snapshot): waits until a sample of names and the
    /// last name are done, which is the figure, then verifies every name with one sweep (not timed; repeated until all done).
    /// </summary>
    public static async Task<DateTimeOffset?> UntilSampleThenVerifyAsync(IPEndPoint server, IReadOnlyList<string> names, Func<string, HashSet<string>?, bool> done, TimeSpan limit, Random random)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        var sample = Enumerable.Range(0, Math.Min(200, names.Count)).Select(_ => names[random.Next(names.Count)]).Append(names[0]).Append(names[^1]).Distinct().ToList();
        while (DateTimeOffset.UtcNow < deadline)
        {
            var answers = await AskAsync(server, sample);
            if (answers.All(a => done(a.Key, a.Value)))
            {
                var at = DateTimeOffset.UtcNow;
                return await UntilAllAsync(server, names, done, deadline - DateTimeOffset.UtcNow) is null ? null : at;
            }

            await Task.Delay(20);
        }

        return null;
    }
}
