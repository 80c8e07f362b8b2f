using System.Net.Sockets;
using System.Runtime.InteropServices;
using Holdfast.Server.Static;

namespace Holdfast.Cli;

/// <summary>
/// <c>holdfast serve</c>: master files served with no control plane, like nsd or knotd. A composition root:
/// the system clock and the POSIX signals are wired here. SIGHUP reloads every file; SIGINT and SIGTERM stop.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is ["-h" or "--help"])
        {
            await stdout.WriteLineAsync(StaticZoneArguments.Usage);
            return 0;
        }

        if (!StaticZoneArguments.TryParse(args, out var options, out var error))
        {
            await stderr.WriteLineAsync($"holdfast serve: {error}\n\n{StaticZoneArguments.Usage}");
            return 2;
        }

        // The composition root: the system clock and a fresh seed (NOTIFY message IDs) are made here.
        var time = TimeProvider.System;
        StaticZoneHost made;
        try
        {
            made = new StaticZoneHost(options!, time, new Random(Environment.ProcessId ^ (int)time.GetTimestamp()), stdout);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"holdfast serve: cannot use --journal {options!.JournalDirectory}: {ex.Message}");
            return 1;
        }

        await using var host = made;
        if (!host.Load())
        {
            await stderr.WriteLineAsync("holdfast serve: not started: fix the zone files above");
            return 1;
        }

        // Parsing the master files leaves their text, tokens and records behind as garbage several times the size of
        // the snapshots kept; one aggressive collection returns those pages to the system before serving starts,
        // instead of holding them resident until the heap happens to shrink.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        try
        {
            await host.StartAsync();
        }
        catch (SocketException ex)
        {
            await stderr.WriteLineAsync($"holdfast serve: cannot listen on {options!.Listen}: {ex.Message} (choose another with --listen ADDR:PORT)");
            return 1;
        }

        using var stop = new CancellationTokenSource();
        using var reloadRequested = new SemaphoreSlim(0);

        // The handlers only signal; the reload runs on this method's loop, one at a time.
        using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            reloadRequested.Release();
        });
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        var endPoint = host.EndPoint;
        var address = endPoint.Address.ToString();
        await stdout.WriteLineAsync($"holdfast serve: DNS on {endPoint} (UDP and TCP). Try: dig @{address} -p {endPoint.Port} {options!.Zones[0].Origin} SOA");
        await stdout.WriteLineAsync($"holdfast serve: pid {Environment.ProcessId}; kill -HUP {Environment.ProcessId} reloads the zone files; Ctrl-C or SIGTERM stops.");
        try
        {
            while (true)
            {
                await reloadRequested.WaitAsync(stop.Token);
                host.Reload();
            }
        }
        catch (OperationCanceledException)
        {
            await stdout.WriteLineAsync("holdfast serve: stopped.");
        }

        return 0;
    }
}
