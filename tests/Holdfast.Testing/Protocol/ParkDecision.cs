namespace Holdfast.Testing.Protocol;

/// <summary>What happens to an apply that was parked mid-flight.</summary>
public enum ParkDecision
{
    /// <summary>The apply reaches the store and the enactor sees the outcome.</summary>
    Proceed,

    /// <summary>The enactor dies before its apply reaches the store.</summary>
    CrashBeforeCommit,

    /// <summary>The apply commits, then the enactor dies before seeing the outcome (an ambiguous outcome).</summary>
    CrashAfterCommit,
}
