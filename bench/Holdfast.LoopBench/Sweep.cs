using System.Collections.Concurrent;
using System.Net;

namespace Holdfast.LoopBench;

/// <summary>Asks the server about many names at once from a few sockets, bounded in parallelism and time.</summary>
internal static class Sweep
{
    private const int Parallel = 8;

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
    /// Waits until every name's answer satisfies <paramref name="done"/>: cheap samples of a few names first (a sweep of
    /// every name costs CPU that the server under test needs), then sweeps of the names still missing.
    /// </summary>
    public static async Task<bool> UntilAsync(IPEndPoint server, IReadOnlyList<string> names, Func<string, HashSet<string>?, bool> done, TimeSpan limit, Random random)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        var sample = Enumerable.Range(0, Math.Min(200, names.Count)).Select(_ => names[random.Next(names.Count)]).Append(names[^1]).Distinct().ToList();
        while (DateTimeOffset.UtcNow < deadline)
        {
            var answers = await AskAsync(server, sample);
            if (answers.All(a => done(a.Key, a.Value)))
            {
                break;
            }

            await Task.Delay(100);
        }

        IReadOnlyList<string> missing = names;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var answers = await AskAsync(server, missing);
            missing = [.. answers.Where(a => !done(a.Key, a.Value)).Select(a => a.Key)];
            if (missing.Count == 0)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
