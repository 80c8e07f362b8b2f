namespace Holdfast.Server.Api;

/// <summary>
/// Why a read or an action was refused, as a value the API turns into problem details and the dashboard into a
/// message: <paramref name="Status"/> is the HTTP status (400 names fields, 404 the thing, 409 the conflict).
/// </summary>
public sealed record ApiProblem(int Status, string Detail, IReadOnlyList<(string Field, string Message)> Fields, IDictionary<string, object?>? Extensions = null)
{
    public static ApiProblem Invalid(IReadOnlyList<(string Field, string Message)> fields) =>
        new(400, string.Join("; ", fields.Select(e => $"{e.Field}: {e.Message}")), fields);

    public static ApiProblem NotFound(string detail) => new(404, detail, []);

    public static ApiProblem Conflict(string detail, IDictionary<string, object?>? extensions = null) => new(409, detail, [], extensions);
}
