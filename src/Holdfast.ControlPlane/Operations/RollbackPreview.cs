using System.Collections.Immutable;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.ControlPlane.Operations;

/// <summary>
/// What a rollback would do: the source plan, the guardrail verdicts, and the draft to write when allowed.
/// <paramref name="Message"/> explains a refusal in one line.
/// </summary>
public sealed record RollbackPreview(
    bool Allowed,
    Generation Source,
    Generation Applied,
    ImmutableArray<GuardrailDecision> Decisions,
    string Message,
    PlanDraft? Draft);
