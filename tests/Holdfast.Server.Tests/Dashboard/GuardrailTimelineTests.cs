using Holdfast.ControlPlane.Guardrails;
using Holdfast.Server.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Server.Tests.Dashboard;

public sealed class GuardrailTimelineTests
{
    [Fact]
    public void Snapshot_DecisionsInTwoMinutes_CountedPerMinuteAndVerdictNewestLast()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 18, 0, 10, TimeSpan.Zero));
        var timeline = new GuardrailTimeline(time);
        timeline.Record(GuardrailVerdict.Held);
        timeline.Record(GuardrailVerdict.Held);
        time.Advance(TimeSpan.FromMinutes(1));
        timeline.Record(GuardrailVerdict.Refused);

        var minutes = timeline.Snapshot();

        minutes.Count.ShouldBe(GuardrailTimeline.Minutes);
        minutes[^1].Minute.ShouldBe(new DateTimeOffset(2026, 12, 2, 18, 1, 0, TimeSpan.Zero));
        minutes[^1].Counts[(int)GuardrailVerdict.Refused].ShouldBe(1);
        minutes[^2].Counts[(int)GuardrailVerdict.Held].ShouldBe(2);
        minutes.Sum(m => m.Counts.Sum()).ShouldBe(3);
    }

    [Fact]
    public void Snapshot_DecisionOlderThanAnHour_IsGoneAndItsSlotReused()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.Zero));
        var timeline = new GuardrailTimeline(time);
        timeline.Record(GuardrailVerdict.Adjusted);
        time.Advance(TimeSpan.FromMinutes(GuardrailTimeline.Minutes));
        timeline.Snapshot().Sum(m => m.Counts.Sum()).ShouldBe(0);

        timeline.Record(GuardrailVerdict.Passed);

        var minutes = timeline.Snapshot();
        minutes[^1].Counts[(int)GuardrailVerdict.Passed].ShouldBe(1);
        minutes[^1].Counts[(int)GuardrailVerdict.Adjusted].ShouldBe(0, "the slot of an hour ago was cleared before reuse");
    }
}
