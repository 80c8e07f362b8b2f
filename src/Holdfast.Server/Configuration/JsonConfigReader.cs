using System.Text.Json;

namespace Holdfast.Server.Configuration;

/// <summary>
/// A JSON request body as a configuration tree, so that the API validates an endpoint or target with the
/// very rules (and messages) the configuration file gets. Every node's location is "request body".
/// </summary>
internal static class JsonConfigReader
{
    public const string Location = "request body";

    public static ConfigNode Read(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Map(element),
        JsonValueKind.Array => List(element),
        JsonValueKind.String => ConfigNode.Value(Location, element.GetString()),
        JsonValueKind.Null or JsonValueKind.Undefined => ConfigNode.Value(Location, null),
        JsonValueKind.True => ConfigNode.Value(Location, "true"),
        JsonValueKind.False => ConfigNode.Value(Location, "false"),
        _ => ConfigNode.Value(Location, element.GetRawText()),
    };

    private static ConfigNode Map(JsonElement element)
    {
        var node = ConfigNode.Map(Location);
        foreach (var property in element.EnumerateObject())
        {
            node.Entries.Add(new(property.Name, Read(property.Value)));
        }

        return node;
    }

    private static ConfigNode List(JsonElement element)
    {
        var node = ConfigNode.Sequence(Location);
        node.Items.AddRange(element.EnumerateArray().Select(Read));
        return node;
    }
}
