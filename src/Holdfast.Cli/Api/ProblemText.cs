using System.Text.Json;

namespace Holdfast.Cli.Api;

/// <summary>
/// Turns an error response into one line: an RFC 9457 problem's <c>detail</c> (or <c>title</c>) plus any
/// validation <c>errors</c> as <c>field: message</c>; a non-JSON body is used as text, trimmed to one line.
/// </summary>
internal static class ProblemText
{
    private const int MaxLength = 500;

    public static async Task<string?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return FromBody(body);
    }

    public static string? FromBody(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var text = StringOf(root, "detail") ?? StringOf(root, "title");
                var errors = ErrorsOf(root);
                var joined = string.Join("; ", new[] { text }.Concat(errors).Where(s => !string.IsNullOrWhiteSpace(s)));
                return joined.Length == 0 ? null : OneLine(joined);
            }
        }
        catch (JsonException)
        {
            // Not a problem document: fall through and show the body as it is.
        }

        return OneLine(body);
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> ErrorsOf(JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var field in errors.EnumerateObject())
        {
            var messages = field.Value.ValueKind == JsonValueKind.Array
                ? field.Value.EnumerateArray().Select(m => m.ToString())
                : [field.Value.ToString()];
            yield return $"{field.Name}: {string.Join(", ", messages)}";
        }
    }

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxLength ? line : line[..MaxLength] + "…";
    }
}
