using System.Text.Json;
using System.Text.Json.Serialization;
using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Holdfast.Server.Api;

/// <summary>
/// Errors as RFC 9457 problem details: 400 names the field (in <c>errors</c> and in <c>detail</c>), 404 names
/// the thing, 409 says what conflicts, 401 asks for the bearer token. Request bodies are read strictly:
/// malformed JSON and unknown members are 400s naming them.
/// </summary>
internal static class ApiResults
{
    private static readonly JsonSerializerOptions s_strict = CreateStrict();

    public static IResult BadRequest(string field, string message) =>
        BadRequest([(field, message)]);

    public static IResult BadRequest(IReadOnlyList<(string Field, string Message)> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")),
            title: "invalid request");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "not found");

    public static IResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "conflict", extensions: extensions);

    /// <summary>200 with the value, or the problem as problem details.</summary>
    public static IResult From<T>(ApiOutcome<T> outcome)
        where T : class =>
        outcome.Problem is { } problem ? From(problem) : TypedResults.Ok(outcome.Value);

    public static IResult From(ApiProblem problem) => problem.Status switch
    {
        StatusCodes.Status400BadRequest => BadRequest(problem.Fields),
        StatusCodes.Status404NotFound => NotFound(problem.Detail),
        StatusCodes.Status409Conflict => Conflict(problem.Detail, problem.Extensions),
        _ => TypedResults.Problem(detail: problem.Detail, statusCode: problem.Status),
    };

    /// <summary>Reads a JSON body into <typeparamref name="T"/>; an empty, malformed or unknown-member body is a 400 naming what is wrong.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, s_strict, request.HttpContext.RequestAborted);
            return value is null ? (null, BadRequest("body", "expected a JSON object")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, BadRequest(field, "not valid JSON for this call: " + FirstSentence(ex.Message)));
        }
    }

    /// <summary>Reads a JSON body that is one object or an array of them (a batch); at most <paramref name="max"/> items.</summary>
    public static async Task<(IReadOnlyList<T>? Items, bool Batch, IResult? Error)> ReadOneOrManyAsync<T>(HttpRequest request, int max)
        where T : class
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var one = root.Deserialize<T>(s_strict);
                return one is null ? (null, false, BadRequest("body", "expected a JSON object")) : ([one], false, null);
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return (null, false, BadRequest("body", "expected a JSON object, or an array of them"));
            }

            if (root.GetArrayLength() > max)
            {
                return (null, true, BadRequest("body", $"at most {max} items in one call, got {root.GetArrayLength()}"));
            }

            var items = new List<T>(root.GetArrayLength());
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                try
                {
                    items.Add(element.Deserialize<T>(s_strict) ?? throw new JsonException("null item"));
                }
                catch (JsonException ex)
                {
                    var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : "." + ex.Path.TrimStart('$', '.');
                    return (null, true, BadRequest($"[{index}]{field}", "not valid JSON for this call: " + FirstSentence(ex.Message)));
                }

                index++;
            }

            return (items, true, null);
        }
        catch (JsonException ex)
        {
            return (null, false, BadRequest("body", "not valid JSON: " + FirstSentence(ex.Message)));
        }
    }

    /// <summary>Reads a JSON body as a document (for bodies validated by the configuration rules).</summary>
    public static async Task<(JsonElement Value, IResult? Error)> ReadElementAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, BadRequest("body", "expected a JSON object"));
        }
        catch (JsonException ex)
        {
            return (default, BadRequest("body", "not valid JSON: " + FirstSentence(ex.Message)));
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        HoldfastHost.ConfigureJson(options);
        return options;
    }
}
