namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// The guardrails, in the order the planner runs them: one list that the planner, <see cref="EnactorRecheck"/> and
/// rollback all take, so that a guardrail registered here is decided at plan time and checked at apply time alike.
/// Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Non-empty is not in the list: it is the fixed first step of each of them (the planner's
/// <see cref="NonEmptyGuardrail"/>, the enactor's "has records" check, rollback's refusal of an empty source), so no
/// registry can leave it out or run anything before it. Its names, and the enactor's, are reserved. Freeze is not a
/// guardrail either: it is a fence on the store's write (docs/design/guardrails.md says why).
/// <code>
/// order  guardrail            plan time                                 apply time
/// -      non-empty/fail-open  picks the starting set (fixed first)      enactor, rollback: records present (fixed first)
/// 1      self-preservation    holds removals while the zone is suspect  not checked
/// 2      capacity-floor       keeps down targets in up to the floor     enactor, rollback
/// 3      velocity-limit       holds removals beyond the window budget   rollback only
/// </code>
/// </remarks>
public sealed class GuardrailRegistry
{
    private static readonly string[] s_reserved = [GuardrailNames.NonEmpty, GuardrailNames.FailOpen, GuardrailNames.EnactorRecheck];

    /// <summary>What the host runs. A new guardrail is registered by adding it to this list.</summary>
    public static GuardrailRegistry Default { get; } = new(
    [
        new SelfPreservation(),
        new CapacityFloorGuardrail(),
        new VelocityLimitGuardrail(),
    ]);

    /// <exception cref="ArgumentException">A name is used twice, or is one of the fixed steps' names.</exception>
    public GuardrailRegistry(IEnumerable<IGuardrail> guardrails)
    {
        ArgumentNullException.ThrowIfNull(guardrails);
        var list = guardrails.ToList();
        var names = new HashSet<string>(s_reserved, StringComparer.Ordinal);
        foreach (var guardrail in list)
        {
            ArgumentNullException.ThrowIfNull(guardrail, nameof(guardrails));
            if (!names.Add(guardrail.Name))
            {
                throw new ArgumentException($"guardrail name '{guardrail.Name}' is taken (by another guardrail, or by a fixed step: {string.Join(", ", s_reserved)})", nameof(guardrails));
            }
        }

        Guardrails = list;
        Names = [GuardrailNames.NonEmpty, GuardrailNames.FailOpen, .. list.Select(g => g.Name), GuardrailNames.EnactorRecheck];
    }

    /// <summary>The registered guardrails, in the order the planner runs them and the checks report.</summary>
    public IReadOnlyList<IGuardrail> Guardrails { get; }

    /// <summary>Every name a decision can carry: the fixed steps' and the registered ones', in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>This registry with <paramref name="guardrail"/> run last.</summary>
    public GuardrailRegistry With(IGuardrail guardrail) => new([.. Guardrails, guardrail]);
}
