namespace Holdfast.ControlPlane.Guardrails;

/// <summary>Who runs a guardrail's apply-time check: their messages differ, and some guardrails check for one only.</summary>
public enum GuardrailAsker
{
    /// <summary>An enactor, before it asks the store to apply a plan (<see cref="EnactorRecheck"/>): a violation rejects the plan.</summary>
    Enactor,

    /// <summary>An operator's rollback, before its plan is written: a violation refuses it unless the operator overrides.</summary>
    Rollback,
}
