namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// One guardrail's apply-time answer. <paramref name="Detail"/> is a reason a person can read: for a violation, the
/// message the enactor rejects the plan with or the rollback refuses with (the guardrail words it for its asker).
/// </summary>
public sealed record GuardrailCheck(GuardrailCheckOutcome Outcome, string Detail)
{
    /// <summary>Not checked at apply for this asker; <paramref name="why"/> says why, for the reader of the code and of tests.</summary>
    public static GuardrailCheck NotChecked(string why) => new(GuardrailCheckOutcome.NotChecked, why);

    public static GuardrailCheck Within(string detail) => new(GuardrailCheckOutcome.Within, detail);

    public static GuardrailCheck Violated(string detail) => new(GuardrailCheckOutcome.Violated, detail);
}
