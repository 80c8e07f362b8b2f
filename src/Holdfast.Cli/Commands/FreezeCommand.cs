using System.CommandLine;

namespace Holdfast.Cli.Commands;

/// <summary>
/// <c>holdfast freeze|unfreeze [NAME | --all] --reason R</c>: the brake. While frozen, plans are still written
/// but no enactor applies them; what is live keeps serving.
/// </summary>
internal static class FreezeCommand
{
    public static Command Create(CliServices services, bool freeze)
    {
        var verb = freeze ? "freeze" : "unfreeze";
        var name = new Argument<string?>("NAME") { Description = $"Endpoint to {verb}", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = freeze ? "Freeze everything (the global switch)" : "Clear the global switch" };
        var reason = ReasonOption.Create();
        var command = new Command(verb, freeze
            ? "Stop applying plans for one endpoint or everything; live answers keep serving"
            : "Resume applying plans for one endpoint or everything") { name, all, reason };
        command.Validators.Add(result =>
        {
            var hasName = result.GetValue(name) is not null;
            var hasAll = result.GetValue(all);
            if (hasName == hasAll)
            {
                result.AddError($"{verb} needs exactly one of NAME or --all");
            }

            ReasonOption.Validate(result, reason);
        });
        command.SetClientAction(services, async run =>
        {
            var endpoint = run.Get(all) ? null : run.Get(name);
            var why = run.Get(reason)!;
            var response = freeze
                ? await run.Client.FreezeAsync(endpoint, why, run.Cancellation)
                : await run.Client.UnfreezeAsync(endpoint, why, run.Cancellation);
            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
            }
            else
            {
                var now = response.Value;
                var frozen = now.Global ? $"everything (global: {now.GlobalReason})" : now.Endpoints.Count == 0 ? "nothing" : string.Join(' ', now.Endpoints);
                run.Output.Line($"{(freeze ? "froze" : "unfroze")} {endpoint ?? "everything (global switch)"}: {why}");
                run.Output.Line($"frozen now: {frozen}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
