using System.Globalization;

namespace Holdfast.LoopBench;

/// <summary>CPU time and memory of a process from /proc (Linux): what `top` would show, read without sampling noise.</summary>
internal readonly record struct ProcessSample(TimeSpan Cpu, long RssBytes, long PeakRssBytes, DateTimeOffset At)
{
    // USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on Linux for every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static ProcessSample Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line);
            }
        }

        return new ProcessSample(TimeSpan.FromSeconds(ticks / TicksPerSecond), rss, peak, DateTimeOffset.UtcNow);
    }

    /// <summary>Cores used between two samples (1.0 = one core busy all the time).</summary>
    public static double Cores(ProcessSample from, ProcessSample to) => (to.Cpu - from.Cpu).TotalSeconds / (to.At - from.At).TotalSeconds;

    private static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
