namespace Holdfast.Server.Api;

/// <summary>
/// What the planner would do now, written nowhere: <paramref name="Change"/> when it would write a plan,
/// the addresses it would add and remove against the latest plan, the records it would publish and every guardrail decision.
/// </summary>
public sealed record DryRunView(bool Change, long Latest, ChangeView Diff, IReadOnlyList<string> Records, IReadOnlyList<DecisionView> Decisions);
