namespace Holdfast.Server.Configuration;

/// <summary>
/// The configuration as a tree before binding: YAML and environment overrides merge here, and every node
/// remembers where it came from so that an error can name the line or the variable.
/// </summary>
internal sealed class ConfigNode
{
    private ConfigNode(ConfigNodeKind kind, string location, string? scalar)
    {
        Kind = kind;
        Location = location;
        Scalar = scalar;
    }

    public ConfigNodeKind Kind { get; private set; }

    /// <summary><c>file:line</c> or <c>env NAME</c>.</summary>
    public string Location { get; private set; }

    public string? Scalar { get; private set; }

    /// <summary>Mapping entries in file order; keys are exactly as written.</summary>
    public List<KeyValuePair<string, ConfigNode>> Entries { get; } = [];

    public List<ConfigNode> Items { get; } = [];

    public static ConfigNode Map(string location) => new(ConfigNodeKind.Mapping, location, null);

    public static ConfigNode Sequence(string location) => new(ConfigNodeKind.Sequence, location, null);

    public static ConfigNode Value(string location, string? scalar) => new(ConfigNodeKind.Scalar, location, scalar);

    /// <summary>Replaces this node's content with a scalar (an environment override of a whole key).</summary>
    public void ReplaceWith(string location, string scalar)
    {
        Kind = ConfigNodeKind.Scalar;
        Location = location;
        Scalar = scalar;
        Entries.Clear();
        Items.Clear();
    }

    public void BecomeMapping(string location)
    {
        Kind = ConfigNodeKind.Mapping;
        Location = location;
        Scalar = null;
        Items.Clear();
    }
}
