namespace Holdfast.Server.Configuration;

/// <summary>Where each bound list item and key came from, so that the cross-reference checks can name the line too.</summary>
internal sealed class ConfigLocations
{
    private readonly Dictionary<string, string> _byPath = new(StringComparer.Ordinal);

    public string Fallback { get; init; } = "";

    public void Add(string path, string location) => _byPath[path] = location;

    public string Of(string path) => _byPath.TryGetValue(path, out var location) ? location : Fallback;
}
