using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Health.Tests.Monitoring;

/// <summary>Waits for a condition with a deadline; on a manual clock, moves it a step between looks.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string what, FakeTimeProvider? time = null, TimeSpan? step = null, TimeSpan? deadline = null)
    {
        var limit = deadline ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new ShouldAssertException($"timed out after {limit.TotalSeconds:0} s waiting for {what}");
            }

            time?.Advance(step ?? TimeSpan.FromMilliseconds(100));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }
}
