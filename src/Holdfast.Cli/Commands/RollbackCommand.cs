using System.CommandLine;
using System.Globalization;
using Holdfast.Cli.Output;
using Holdfast.Server.Api;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast rollback NAME --to G|last-good --reason R [--dry-run] [--override]</c>. Always asks for the
/// dry run first and shows it (the records that would come and go, and each guardrail's verdict); then, unless
/// <c>--dry-run</c>, writes the rollback: a NEW plan with a higher generation carrying the old records, which
/// the enactors apply like any plan. <c>--override</c> bypasses the capacity floor and velocity limit (audited).
/// Exit 0 done (or dry run allowed), 1 refused.
/// </summary>
internal static class RollbackCommand
{
    public const string LastGood = "last-good";

    public static Command Create(CliServices services)
    {
        var name = new Argument<string>("NAME") { Description = "Endpoint name" };
        var to = new Option<string>("--to") { Description = $"Generation whose records to bring back (42 or g42), or {LastGood}: the newest earlier plan that was once applied", HelpName = $"G|{LastGood}", Required = true };
        var reason = ReasonOption.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show what the rollback would do" };
        var overrideGuardrails = new Option<bool>("--override") { Description = "Bypass the capacity floor and velocity limit (audited with the reason)" };
        var command = new Command("rollback", "Bring back an earlier plan's records under a new, higher generation (shows the dry run first)")
        {
            name, to, reason, dryRun, overrideGuardrails,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(to) is { } target && target != LastGood && !GenerationText.TryParse(target, out _))
            {
                result.AddError($"--to expects a generation such as 42 or g42, or {LastGood}, not '{target}'");
            }

            ReasonOption.Validate(result, reason);
        });
        command.SetClientAction(services, async run =>
        {
            var endpoint = run.Get(name)!;
            var target = run.Get(to)!;
            var wire = GenerationText.TryParse(target, out var generation) ? generation.ToString(CultureInfo.InvariantCulture) : LastGood;
            var why = run.Get(reason)!;
            var force = run.Get(overrideGuardrails);
            var preview = await run.Client.RollbackAsync(endpoint, wire, why, dryRun: true, force, run.Cancellation);
            if (run.Get(dryRun))
            {
                Show(run.Output, endpoint, preview.Value, preview.Json);
                return preview.Value.Allowed ? ExitCodes.Ok : ExitCodes.Failure;
            }

            if (!run.Output.IsJson)
            {
                Show(run.Output, endpoint, preview.Value, preview.Json);
            }

            if (!preview.Value.Allowed)
            {
                throw new CommandException($"rollback of {endpoint} refused: {preview.Value.Message}", ExitCodes.Failure);
            }

            var done = await run.Client.RollbackAsync(endpoint, wire, why, dryRun: false, force, run.Cancellation);
            if (run.Output.IsJson)
            {
                run.Output.Json(done.Json);
            }
            else
            {
                run.Output.Line(done.Value.Allowed && done.Value.Written is { } written
                    ? $"rolled back {endpoint}: {CommandOutput.Generation(written)} carries the records of {CommandOutput.Generation(done.Value.Source)}; enactors apply it next; the planner leaves {endpoint} pinned to it until `holdfast resume {endpoint}`"
                    : $"rollback of {endpoint} not written: {done.Value.Message}");
            }

            return done.Value.Allowed && done.Value.Written is not null ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static void Show(CommandOutput output, string endpoint, RollbackView preview, System.Text.Json.JsonElement json)
    {
        if (output.IsJson)
        {
            output.Json(json);
            return;
        }

        output.Line($"dry run: rollback of {endpoint} from live {CommandOutput.Generation(preview.Live)} to the records of {CommandOutput.Generation(preview.Source)}: {(preview.Allowed ? "allowed" : "REFUSED")}");
        if (preview.Message is { Length: > 0 } message)
        {
            output.Line("  " + message);
        }

        var diff = CommandOutput.NewTable("", "RECORD");
        foreach (var added in preview.Diff.Added)
        {
            CommandOutput.AddRow(diff, "+", added);
        }

        foreach (var removed in preview.Diff.Removed)
        {
            CommandOutput.AddRow(diff, "-", removed);
        }

        if (diff.Rows.Count > 0)
        {
            output.Render(diff);
        }

        var decisions = CommandOutput.NewTable("GUARDRAIL", "VERDICT", "REASON");
        foreach (var d in preview.Decisions)
        {
            CommandOutput.AddRow(decisions, d.Guardrail, d.Alarm ? d.Verdict + " (alarm)" : d.Verdict, d.Reason);
        }

        if (decisions.Rows.Count > 0)
        {
            output.Render(decisions);
        }
    }
}
