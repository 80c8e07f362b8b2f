using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Holdfast.Cli.Api;
using Holdfast.Server.Api;
using Holdfast.Cli.Output;

namespace Holdfast.Cli.Commands;

/// <summary><c>holdfast get endpoints|targets|plans</c>: one table row per object.</summary>
internal static class GetCommand
{
    public static Command Create(CliServices services)
    {
        var get = new Command("get", "List endpoints, targets or an endpoint's plans");
        get.Add(Endpoints(services));
        get.Add(Targets(services));
        get.Add(Plans(services));
        return get;
    }

    private static Command Endpoints(CliServices services)
    {
        var name = new Argument<string?>("NAME") { Description = "Only this endpoint (one point read on the server, however many endpoints there are)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("endpoints", "List endpoints with their live and latest generation and the live answer") { name };
        command.SetClientAction(services, async run =>
        {
            var only = run.Get(name);
            if (only is null && run.Output.IsJson)
            {
                run.Output.Json(await run.Client.GetEndpointsJsonAsync(run.Cancellation));
                return ExitCodes.Ok;
            }

            ApiResponse<List<EndpointView>> response;
            if (only is not null)
            {
                var one = await run.Client.GetEndpointAsync(only, run.Cancellation);
                response = new ApiResponse<List<EndpointView>>([one.Value.Endpoint], JsonSerializer.SerializeToElement(new[] { one.Json.GetProperty("endpoint") }));
            }
            else
            {
                response = await run.Client.GetEndpointsAsync(run.Cancellation);
            }

            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
                return ExitCodes.Ok;
            }

            var table = CommandOutput.NewTable("NAME", "ZONE", "TTL", "LIVE", "LATEST", "FROZEN", "TARGETS", "ANSWER");
            foreach (var e in response.Value)
            {
                CommandOutput.AddRow(table, e.Name, e.Zone, Number(e.Ttl), CommandOutput.Generation(e.LiveGeneration), CommandOutput.Generation(e.LatestGeneration),
                    e.Frozen ? "yes" : "no", Number(e.Targets), CommandOutput.List(e.Answer));
            }

            run.Output.Render(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Targets(CliServices services)
    {
        var endpoint = new Argument<string?>("ENDPOINT") { Description = "Only the targets of this endpoint", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("targets", "List targets with their aggregated health and each health source's view") { endpoint };
        command.SetClientAction(services, async run =>
        {
            var only = run.Get(endpoint);
            List<TargetView> targets;
            JsonElement json;
            if (only is null)
            {
                var response = await run.Client.GetTargetsAsync(run.Cancellation);
                (targets, json) = (response.Value, response.Json);
            }
            else
            {
                // One endpoint: its point read, not the list of every target filtered here.
                var detail = await run.Client.GetEndpointAsync(only, run.Cancellation);
                (targets, json) = ([.. detail.Value.Targets], detail.Json.GetProperty("targets"));
                if (targets.Count == 0)
                {
                    throw new CommandException($"no targets of endpoint '{only}' (see `holdfast get endpoints`)", ExitCodes.Failure);
                }
            }

            if (run.Output.IsJson)
            {
                run.Output.Json(json);
                return ExitCodes.Ok;
            }

            var table = CommandOutput.NewTable("ENDPOINT", "ID", "ADDRESS", "AZ", "WEIGHT", "CAPACITY", "ADMIN", "HEALTH", "IN ANSWER", "SOURCES");
            foreach (var t in targets)
            {
                var sources = string.Join(' ', t.Sources.Select(s => $"{s.Source}={s.State}"));
                CommandOutput.AddRow(table, t.Endpoint, t.Id, t.Address, t.Az, Number(t.Weight), Number(t.Capacity), t.AdminState, t.Health, t.InAnswer ? "yes" : "no", sources.Length == 0 ? "-" : sources);
            }

            run.Output.Render(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Plans(CliServices services)
    {
        var name = new Argument<string>("NAME") { Description = "Endpoint name" };
        var command = new Command("plans", "List an endpoint's stored plans, oldest first") { name };
        command.SetClientAction(services, async run =>
        {
            var response = await run.Client.GetPlansAsync(run.Get(name)!, run.Cancellation);
            if (run.Output.IsJson)
            {
                run.Output.Json(response.Json);
                return ExitCodes.Ok;
            }

            var table = CommandOutput.NewTable("GENERATION", "CREATED", "ORIGIN", "STATE", "RECORDS", "REASON");
            foreach (var p in response.Value)
            {
                CommandOutput.AddRow(table, CommandOutput.Generation(p.Generation), CommandOutput.Time(p.CreatedAt), p.Origin, CommandOutput.PlanState(p), CommandOutput.List(p.Records), p.Reason);
            }

            run.Output.Render(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
