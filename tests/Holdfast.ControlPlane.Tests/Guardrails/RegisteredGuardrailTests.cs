using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Operations;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.ControlPlane.Tests.Guardrails;

/// <summary>
/// The claim of docs/design/guardrails.md: a guardrail is one type registered in one list, and the planner, the
/// enactor's re-check and rollback all apply it, with nothing else changed.
/// </summary>
public sealed class RegisteredGuardrailTests
{
    private const string Forbidden = "t3";
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);
    private readonly InMemoryControlStore _store;
    private readonly FixedHealthViewSource _health = new();
    private readonly DecisionRecorder _observer = new();
    private readonly GuardrailRegistry _guardrails = GuardrailRegistry.Default.With(new NeverPublishGuardrail(Forbidden));
    private readonly EndpointSpec _spec = Specs.Endpoint(targets: 3);

    public RegisteredGuardrailTests() => _store = new InMemoryControlStore(_time);

    [Fact]
    public async Task Registered_AtPlanTime_VetoesThePlanAndIsReportedUnderItsName()
    {
        await _store.PutEndpointAsync(_spec, "test");
        using (var unguarded = new PlannerLoop(_store, _health, new PlannerOptions(), _time, new Random(7)))
        {
            // Without the registration the same endpoint gets a plan with t3: the veto below is the guardrail's doing.
            (await unguarded.DryRunAsync(_spec.Name))!.Draft!.Records.Ids().ShouldContain(Forbidden);
        }

        using var planner = new PlannerLoop(_store, _health, new PlannerOptions(), _time, new Random(7), _observer, _guardrails);
        var pass = await planner.RunOnceAsync();

        pass.Written.ShouldBeEmpty();
        (await _store.ListPlansAsync(_spec.Name)).ShouldBeEmpty();
        var veto = _observer.Fired.ShouldHaveSingleItem();
        veto.Guardrail.ShouldBe(NeverPublishGuardrail.GuardrailName);
        veto.Verdict.ShouldBe(GuardrailVerdict.Refused);
        veto.Reason.ShouldBe("t3 may never be published");
        (await planner.DryRunAsync(_spec.Name))!.Decisions.Select(d => d.Guardrail)
            .ShouldBe([GuardrailNames.NonEmpty, GuardrailNames.CapacityFloor, GuardrailNames.VelocityLimit, NeverPublishGuardrail.GuardrailName]);
    }

    [Fact]
    public async Task Registered_AtTheEnactorsRecheck_RejectsAPlanThatBreaksIt()
    {
        await _store.PutEndpointAsync(_spec, "test");
        var rogue = await WriteAsync("t1", "t2", "t3");

        var pass = await new Enactor("az1", _store, new EnactorOptions(), _time, new Random(1), _observer, _guardrails).ReconcileOnceAsync();

        pass.Steps.ShouldHaveSingleItem().Refusal.ShouldBe($"{rogue} publishes t3");
        (await _store.GetPlanAsync(_spec.Name, rogue))!.IsRejected.ShouldBeTrue();
        (await _store.GetAppliedAsync(_spec.Name)).ShouldBeNull();
        var refusal = _observer.Fired.ShouldHaveSingleItem();
        refusal.Guardrail.ShouldBe(GuardrailNames.EnactorRecheck);
        refusal.Verdict.ShouldBe(GuardrailVerdict.Refused);
    }

    [Fact]
    public async Task Registered_InRollback_RefusesUnlessOverriddenAndTheOverrideIsWaivedAtTheEnactor()
    {
        await _store.PutEndpointAsync(_spec, "test");
        var old = await ApplyAsync("t1", "t2", "t3");
        await ApplyAsync("t1", "t2");
        var operations = new ControlPlaneOperations(_store, _time, _guardrails);

        var (refused, none) = await operations.RollbackAsync(new RollbackRequest(_spec.Name, old, "undo", "alice"));

        refused.Allowed.ShouldBeFalse();
        none.ShouldBeNull();
        refused.Decisions.ShouldContain(new GuardrailDecision(NeverPublishGuardrail.GuardrailName, GuardrailVerdict.Refused, "publishes t3", Alarm: true));
        refused.Decisions.Select(d => d.Guardrail)
            .ShouldBe([GuardrailNames.NonEmpty, GuardrailNames.CapacityFloor, GuardrailNames.VelocityLimit, NeverPublishGuardrail.GuardrailName]);

        var (allowed, plan) = await operations.RollbackAsync(new RollbackRequest(_spec.Name, old, "undo", "alice", Override: "t3 is fixed"));
        allowed.Allowed.ShouldBeTrue(allowed.Message);
        allowed.Decisions.ShouldContain(d => d.Guardrail == NeverPublishGuardrail.GuardrailName && d.Verdict == GuardrailVerdict.Overridden);
        var stored = await _store.ReadEndpointAsync(_spec.Name, EndpointParts.All);
        EnactorRecheck.Check(plan!, stored, _time.GetUtcNow(), _guardrails)
            .ShouldBe(new GuardrailDecision(GuardrailNames.EnactorRecheck, GuardrailVerdict.Overridden, "non-empty; floor, forbidden target waived by override: t3 is fixed"));

        await new Enactor("az1", _store, new EnactorOptions(), _time, new Random(1), _observer, _guardrails).ReconcileOnceAsync();
        (await _store.GetAppliedAsync(_spec.Name))!.Generation.ShouldBe(plan!.Generation);
    }

    [Fact]
    public void Registry_FixedStepsNames_CannotBeRegistered()
    {
        foreach (var name in new[] { GuardrailNames.NonEmpty, GuardrailNames.FailOpen, GuardrailNames.EnactorRecheck })
        {
            Should.Throw<ArgumentException>(() => GuardrailRegistry.Default.With(new NamedGuardrail(name))).Message.ShouldContain(name);
        }

        Should.Throw<ArgumentException>(() => GuardrailRegistry.Default.With(new NamedGuardrail(GuardrailNames.CapacityFloor)));
    }

    [Fact]
    public void Registry_Names_AreTheFixedStepsAroundTheRegisteredOnesInOrder()
    {
        _guardrails.Names.ShouldBe([
            GuardrailNames.NonEmpty, GuardrailNames.FailOpen, GuardrailNames.SelfPreservation, GuardrailNames.CapacityFloor,
            GuardrailNames.VelocityLimit, NeverPublishGuardrail.GuardrailName, GuardrailNames.EnactorRecheck]);
        GuardrailNames.All.ShouldBe(GuardrailRegistry.Default.Names);
    }

    [Fact]
    public void Plan_RegisteredGuardrailEmptiesThePlan_ThrowsInsteadOfWritingAnEmptyPlan()
    {
        var input = new PlannerInput(_spec, HealthView.Empty, null, [], SelfPreservationStatus.Inactive, _time.GetUtcNow());
        var emptying = GuardrailRegistry.Default.With(new NamedGuardrail("drops-everything", emptyIt: true));
        Should.Throw<InvalidOperationException>(() => Planner.Plan(input, emptying)).Message.ShouldContain("drops-everything emptied the plan");
    }

    private async Task<Generation> ApplyAsync(params string[] ids)
    {
        var generation = await WriteAsync(ids);
        (await _store.ConditionalApplyAsync(_spec.Name, generation, "az1")).Status.ShouldBe(ApplyStatus.Applied);
        return generation;
    }

    private async Task<Generation> WriteAsync(params string[] ids)
    {
        _time.Advance(TimeSpan.FromSeconds(10));
        var generation = await _store.AllocateGenerationAsync();
        await _store.WritePlanAsync(Specs.Plan(_spec, generation.Value, _time.GetUtcNow(), ids));
        return generation;
    }

    /// <summary>The test's own guardrail: one target may never be published. Vetoes at plan time, violates at apply time.</summary>
    private sealed class NeverPublishGuardrail(string targetId) : IGuardrail
    {
        public const string GuardrailName = "never-publish";

        public string Name => GuardrailName;

        public string Subject => "forbidden target";

        public PlanStep Decide(PlannerInput input, IReadOnlyList<Target> proposed) =>
            proposed.Any(t => t.Id == targetId)
                ? PlanStep.Veto(new GuardrailDecision(Name, GuardrailVerdict.Refused, $"{targetId} may never be published", Alarm: true))
                : new PlanStep(proposed, new GuardrailDecision(Name, GuardrailVerdict.Passed, $"{targetId} not proposed"));

        public GuardrailCheck Check(GuardrailCheckInput input)
        {
            if (input.Plan.Records.All(r => r.TargetId != targetId))
            {
                return GuardrailCheck.Within($"{targetId} not published");
            }

            return GuardrailCheck.Violated(input.Asker == GuardrailAsker.Enactor ? $"{input.Plan.Generation} publishes {targetId}" : $"publishes {targetId}");
        }
    }

    /// <summary>A guardrail that only has a name (or, with <paramref name="emptyIt"/>, drops every target: a bug).</summary>
    private sealed class NamedGuardrail(string name, bool emptyIt = false) : IGuardrail
    {
        public string Name => name;

        public string Subject => name;

        public PlanStep Decide(PlannerInput input, IReadOnlyList<Target> proposed) => PlanStep.Abstain(emptyIt ? [] : proposed);

        public GuardrailCheck Check(GuardrailCheckInput input) => GuardrailCheck.NotChecked("a name only");
    }

    private sealed class DecisionRecorder : IControlPlaneObserver
    {
        public List<GuardrailDecision> Fired { get; } = [];

        public void GuardrailFired(string actor, string endpoint, GuardrailDecision decision) => Fired.Add(decision);

        public void PlanWritten(Plan plan)
        {
        }

        public void ApplyAttempted(string enactorId, string endpoint, Generation generation, ApplyOutcome outcome)
        {
        }

        public void CleanedUp(string enactorId, string endpoint, CleanupOutcome outcome)
        {
        }

        public void PassFailed(string actor, string? endpoint, Exception exception)
        {
        }
    }
}
