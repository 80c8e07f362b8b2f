namespace Holdfast.Simulation;

/// <summary>Which enactment protocol a simulation runs.</summary>
public enum Protocol
{
    /// <summary>Holdfast: the real enactors, a fenced conditional apply and safe cleanup.</summary>
    Fenced,

    /// <summary>The October 2025 protocol: one-time freshness check, unconditional apply, cleanup by age.</summary>
    Legacy,
}
