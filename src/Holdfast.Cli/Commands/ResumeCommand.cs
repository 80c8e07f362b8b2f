using System.CommandLine;
using Holdfast.Cli.Output;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast resume NAME --reason R</c>: ends a rollback's pin so the planner plans the endpoint from
/// desired state and health again; <c>holdfast release ZONE --reason R</c>: lets removals through in a zone
/// where self-preservation holds them (the operator vouches for the monitors). Both audited.
/// </summary>
internal static class ResumeCommand
{
    public static Command Resume(CliServices services)
    {
        var name = new Argument<string>("NAME") { Description = "Endpoint pinned by a rollback" };
        var reason = ReasonOption.Create();
        var command = new Command("resume", "Hand an endpoint pinned by a rollback back to the planner") { name, reason };
        command.Validators.Add(result => ReasonOption.Validate(result, reason));
        command.SetClientAction(services, async run =>
        {
            var response = await run.Client.ResumeAsync(run.Get(name)!, run.Get(reason)!, run.Cancellation);
            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
            }
            else
            {
                var plan = response.Value;
                run.Output.Line($"resumed {run.Get(name)}: the planner owns it again; latest plan {CommandOutput.Generation(plan.Generation)} [{CommandOutput.List(plan.Records)}] ({CommandOutput.PlanState(plan)})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Release(CliServices services)
    {
        var zone = new Argument<string>("ZONE") { Description = "Zone apex where self-preservation holds removals, e.g. svc.example." };
        var reason = ReasonOption.Create();
        var command = new Command("release", "Release self-preservation in a zone: health-driven removals go through again") { zone, reason };
        command.Validators.Add(result => ReasonOption.Validate(result, reason));
        command.SetClientAction(services, async run =>
        {
            var response = await run.Client.ReleaseSelfPreservationAsync(run.Get(zone)!, run.Get(reason)!, run.Cancellation);
            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
            }
            else
            {
                run.Output.Line($"released self-preservation in {run.Get(zone)}: removals by health go through again (velocity limit and capacity floor still apply)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
