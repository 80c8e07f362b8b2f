namespace Holdfast.ControlPlane.Guardrails;

/// <summary>What an apply-time check found.</summary>
public enum GuardrailCheckOutcome
{
    /// <summary>The guardrail has no check for this asker (it acts at plan time only, or for the other asker).</summary>
    NotChecked,

    /// <summary>The records are within the rule.</summary>
    Within,

    /// <summary>The records break the rule.</summary>
    Violated,
}
