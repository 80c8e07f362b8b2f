namespace Holdfast.Cli.Tests.EndToEnd;

/// <summary>The waits of the end-to-end tests: conditions polled against a deadline, failing with the child's output.</summary>
internal static class HostWaits
{
    /// <summary>True when <c>/readyz</c> answers 200; false while the host is starting (refused, or slow on a loaded machine).</summary>
    public static async Task<bool> ReadyAsync(HttpClient api)
    {
        try
        {
            using var response = await api.GetAsync("/readyz", TestContext.Current.CancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            // The client's timeout on a loaded machine while the host starts: not ready yet, ask again.
            return false;
        }
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, HoldfastProcess holdfast)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (holdfast.HasExited)
            {
                throw new InvalidOperationException($"holdfast up exited while waiting for {what}:\n{holdfast.Tail()}");
            }

            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}; holdfast printed:\n{holdfast.Tail()}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
