using System.Diagnostics;
using System.Net;

namespace Holdfast.Cli.Tests.EndToEnd;

/// <summary>The real <c>dig</c> (bind9-dnsutils) against a loopback server: one try, two seconds.</summary>
internal static class Dig
{
    /// <summary>The A records of <paramref name="name"/>, sorted; empty when dig got no answer.</summary>
    public static async Task<IReadOnlyList<string>> AddressesAsync(int port, string name)
    {
        var start = new ProcessStartInfo("dig")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "@127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), name, "A", "+short", "+tries=1", "+time=2" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var output = await process.StandardOutput.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => IPAddress.TryParse(line, out _))
            .Order(StringComparer.Ordinal)];
    }
}
