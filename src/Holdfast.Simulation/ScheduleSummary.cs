namespace Holdfast.Simulation;

/// <summary>What a report keeps of each schedule once its details are dropped.</summary>
public sealed record ScheduleSummary(int Seed, int Violations, bool EmptyAnswerObserved, bool Stuck, IReadOnlyDictionary<string, int> GuardrailFirings, IReadOnlyDictionary<string, int> FaultsInjected);
