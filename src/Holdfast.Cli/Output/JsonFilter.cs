using System.Text.Json;

namespace Holdfast.Cli.Output;

/// <summary>Filters a JSON array the server sent, keeping its elements exactly as they were.</summary>
internal static class JsonFilter
{
    public static JsonElement Where(JsonElement array, Func<JsonElement, bool> keep)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var element in array.EnumerateArray().Where(keep))
            {
                element.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }
}
