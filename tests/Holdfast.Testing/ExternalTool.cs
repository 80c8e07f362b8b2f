using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Holdfast.Testing;

/// <summary>Runs Debian's DNS tools (dig, kdig) to completion, and finds free loopback ports.</summary>
public static class ExternalTool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, string arguments, TimeSpan? deadline = null)
    {
        var start = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        using var cancel = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var error = process.StandardError.ReadToEndAsync(cancel.Token);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {arguments} did not finish");
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>dig against 127.0.0.1:<paramref name="port"/>, one try of at most 2 seconds; fails the test on a non-zero exit.</summary>
    public static async Task<string> DigAsync(int port, string arguments)
    {
        var (exit, output) = await RunAsync("dig", $"@127.0.0.1 -p {port} +time=2 +tries=1 {arguments}");
        exit.ShouldBe(0, $"dig {arguments}\n{output}");
        return output;
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 at the time of asking.</summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP: try another.
            }
        }

        throw new InvalidOperationException("no free loopback port for UDP and TCP");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (await condition())
            {
                return true;
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return await condition();
    }
}
