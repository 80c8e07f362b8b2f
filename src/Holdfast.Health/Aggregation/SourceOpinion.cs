namespace Holdfast.Health.Aggregation;

/// <summary>One source's opinion of one target after its rise/fall thresholds, and freshness.</summary>
public enum SourceOpinion
{
    /// <summary>No opinion yet (no threshold reached), or the source has gone stale. Never counts as down.</summary>
    Unknown,

    /// <summary>Rise consecutive up results.</summary>
    Up,

    /// <summary>Fall consecutive down results.</summary>
    Down,

    /// <summary>Fall consecutive unexpected results. Counts as neither up nor down.</summary>
    Unexpected,
}
