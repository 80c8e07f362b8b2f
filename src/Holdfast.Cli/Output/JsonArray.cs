using System.Text.Json;

namespace Holdfast.Cli.Output;

/// <summary>Builds JSON arrays from elements the server sent, keeping each element exactly as it was.</summary>
internal static class JsonArray
{
    public static JsonElement Where(JsonElement array, Func<JsonElement, bool> keep) => Of(array.EnumerateArray().Where(keep));

    public static JsonElement Of(IEnumerable<JsonElement> elements)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var element in elements)
            {
                element.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }
}
