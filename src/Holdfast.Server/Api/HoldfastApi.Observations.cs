using Holdfast.Health.Observations;
using Microsoft.AspNetCore.Http;

namespace Holdfast.Server.Api;

/// <summary>
/// <c>POST /api/v1/health/observations</c>: one observation (an object), or a batch (an array of up to
/// <see cref="MaxObservations"/>), from an external monitor. A batch with any malformed item is refused whole (400
/// naming <c>[index].field</c>) and records nothing; otherwise every item is recorded and its outcome returned.
/// </summary>
public static partial class HoldfastApi
{
    public const int MaxObservations = 10_000;

    private static async Task<IResult> ObserveAsync(ObservationIntake intake, HttpRequest request)
    {
        var (items, batch, error) = await ApiResults.ReadOneOrManyAsync<ObservationRequest>(request, MaxObservations);
        if (items is null)
        {
            return error!;
        }

        var errors = new List<(string, string)>();
        var states = new ObservationState[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = batch ? $"[{i}]." : "";
            var body = items[i];
            Require(errors, prefix + "source", body.Source);
            Require(errors, prefix + "endpoint", body.Endpoint);
            Require(errors, prefix + "target", body.Target);
            if (!Enum.TryParse(body.State, ignoreCase: true, out states[i]) || !Enum.IsDefined(states[i]) || body.State!.Any(char.IsDigit))
            {
                errors.Add((prefix + "state", $"expected up, down or unexpected, got '{body.State}'"));
            }
        }

        if (errors.Count > 0)
        {
            return ApiResults.BadRequest(errors);
        }

        var outcomes = intake.Record(items, states);

        if (batch)
        {
            return TypedResults.Accepted((string?)null, new ObservationBatchView(outcomes.Count(o => o == ObservationOutcome.Accepted), [.. outcomes.Select(OutcomeName)]));
        }

        var one = items[0];
        var endpoint = ApiNames.Endpoint(one.Endpoint!);
        return outcomes[0] switch
        {
            ObservationOutcome.Accepted => TypedResults.Accepted((string?)null, new ObservationView("accepted")),
            ObservationOutcome.UnknownSource => ApiResults.BadRequest("source", $"no health source '{one.Source}' is configured; expected one of: {string.Join(", ", intake.Sources)}"),
            ObservationOutcome.SourceNotAssigned => ApiResults.BadRequest("source", $"'{one.Source}' does not vote on {endpoint}/{one.Target}; name it in the target's healthCheck.sources"),
            ObservationOutcome.UnknownTarget => ApiResults.NotFound($"target '{one.Target}' of '{endpoint}' has no health check, or does not exist"),
            _ => ApiResults.Conflict("the observation is older than the source's last one for this target; ignored"),
        };
    }

    private static string OutcomeName(ObservationOutcome outcome) => outcome switch
    {
        ObservationOutcome.Accepted => "accepted",
        ObservationOutcome.UnknownSource => "unknown-source",
        ObservationOutcome.SourceNotAssigned => "source-not-assigned",
        ObservationOutcome.UnknownTarget => "unknown-target",
        _ => "out-of-order",
    };
}
