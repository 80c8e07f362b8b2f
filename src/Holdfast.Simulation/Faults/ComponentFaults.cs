namespace Holdfast.Simulation.Faults;

/// <summary>
/// The fault sites of one component's link to the store, switched on and off by the scenario (from the seed).
/// Mutable; read and written only on the scheduler thread.
/// </summary>
public sealed class ComponentFaults(string component)
{
    public string Component { get; } = component;

    /// <summary>Latency added before every store operation (0 = none).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Probability that a mutation fails before it reaches the store (nothing changed).</summary>
    public double FailBeforeCommit { get; set; }

    /// <summary>
    /// Probability that a mutation is committed and then reported as failed (a timeout after sending the
    /// commit): the outcome is ambiguous and the caller must read back to learn it.
    /// </summary>
    public double FailAfterCommit { get; set; }

    /// <summary>Probability that a page of the change feed is lost: the revision moves on, its changes never arrive (a lost wake-up).</summary>
    public double FeedLoss { get; set; }

    /// <summary>Probability that a read of the change feed delivers changes it delivered before (an event twice, or late).</summary>
    public double FeedDuplicate { get; set; }

    /// <summary>Probability that a read of the change feed fails (a disconnect; the follower resumes from its revision).</summary>
    public double FeedDisconnect { get; set; }

    /// <summary>Probability that a health change never wakes the planner (the view has it; the event is lost).</summary>
    public double HealthEventLoss { get; set; }

    /// <summary>Probability that a health change wakes the planner twice.</summary>
    public double HealthEventDuplicate { get; set; }

    /// <summary>The component cannot reach the store: every operation times out and fails.</summary>
    public bool CutOff { get; set; }

    /// <summary>
    /// One-shot: the next conditional apply stalls just before its commit until this gate opens (the badly
    /// delayed enactor of the incident). Cleared when taken.
    /// </summary>
    public Task? HoldNextApply { get; set; }

    /// <summary>The generation of the apply now stalled on <see cref="HoldNextApply"/>, or null when none is.</summary>
    public Holdfast.ControlPlane.Model.Generation? Stalled { get; set; }

    /// <summary>True when no fault is switched on.</summary>
    public bool IsQuiet => Latency == TimeSpan.Zero && FailBeforeCommit == 0 && FailAfterCommit == 0 && !CutOff && HoldNextApply is null &&
        FeedLoss == 0 && FeedDuplicate == 0 && FeedDisconnect == 0 && HealthEventLoss == 0 && HealthEventDuplicate == 0;

    /// <summary>Switches every fault off (the heal at the end of a fault schedule).</summary>
    public void Heal()
    {
        Latency = TimeSpan.Zero;
        FailBeforeCommit = 0;
        FailAfterCommit = 0;
        CutOff = false;
        HoldNextApply = null;
        FeedLoss = 0;
        FeedDuplicate = 0;
        FeedDisconnect = 0;
        HealthEventLoss = 0;
        HealthEventDuplicate = 0;
    }
}
