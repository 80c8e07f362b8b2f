using System.Text.Json.Serialization;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// One guardrail's decision about one plan: its stable <paramref name="Guardrail"/> name (see
/// <see cref="GuardrailNames"/>), what it did, and a reason a person can read. <paramref name="Alarm"/>
/// marks decisions an operator must see (fail-open, self-preservation, refusals).
/// </summary>
public sealed record GuardrailDecision(string Guardrail, GuardrailVerdict Verdict, string Reason, bool Alarm = false)
{
    /// <summary>True when the guardrail changed, held or refused something.</summary>
    [JsonIgnore]
    public bool Fired => Verdict != GuardrailVerdict.Passed;
}
