namespace Holdfast.ControlPlane.Guardrails;

/// <summary>What a guardrail did to a plan.</summary>
public enum GuardrailVerdict
{
    /// <summary>The guardrail had nothing to change.</summary>
    Passed,

    /// <summary>The guardrail changed the record set (kept targets in, published all).</summary>
    Adjusted,

    /// <summary>The guardrail held a change back (removals wait; no plan written).</summary>
    Held,

    /// <summary>The guardrail refused the plan outright.</summary>
    Refused,

    /// <summary>An operator bypassed the guardrail with a reason (audited).</summary>
    Overridden,
}
