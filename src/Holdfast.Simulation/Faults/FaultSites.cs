namespace Holdfast.Simulation.Faults;

/// <summary>Stable names of the fault sites, as they appear in event logs and reports.</summary>
public static class FaultSites
{
    public const string Latency = "latency";
    public const string LongPause = "long-pause";
    public const string FailBeforeCommit = "fail-before-commit";
    public const string FailAfterCommit = "fail-after-commit";
    public const string CutOff = "cut-off";
    public const string CrashEnactor = "crash-enactor";
    public const string CrashPlanner = "crash-planner";
    public const string StalePlannerRestart = "stale-planner-restart";
    public const string ClockSkew = "clock-skew";
    public const string LyingHealth = "lying-health";
    public const string FlappingHealth = "flapping-health";
    public const string AllTargetsDown = "all-targets-down";
    public const string TargetDown = "target-down";
    public const string Freeze = "freeze";
    public const string RogueWriter = "rogue-writer";
    public const string Rollback = "rollback";
    public const string FeedLoss = "feed-loss";
    public const string FeedDuplicate = "feed-duplicate";
    public const string FeedDisconnect = "feed-disconnect";
    public const string HealthEventLoss = "health-event-loss";
    public const string HealthEventDuplicate = "health-event-duplicate";

    public static IReadOnlyList<string> All { get; } =
        [Latency, LongPause, FailBeforeCommit, FailAfterCommit, CutOff, CrashEnactor, CrashPlanner, StalePlannerRestart, ClockSkew, LyingHealth, FlappingHealth, AllTargetsDown, TargetDown, Freeze, RogueWriter, Rollback, FeedLoss, FeedDuplicate, FeedDisconnect, HealthEventLoss, HealthEventDuplicate];
}
