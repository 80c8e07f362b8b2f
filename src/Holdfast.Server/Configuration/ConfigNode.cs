namespace Holdfast.Server.Configuration;

/// <summary>
/// The configuration as a tree before binding: YAML and environment overrides merge here, and every node
/// remembers where it came from so that an error can name the line or the variable.
/// </summary>
internal sealed class ConfigNode
{
    private string? _location;
    private List<KeyValuePair<string, ConfigNode>>? _entries;
    private List<ConfigNode>? _items;
    private readonly string? _file;
    private readonly long _line;

    private ConfigNode(ConfigNodeKind kind, string location, string? scalar)
    {
        Kind = kind;
        _location = location;
        Scalar = scalar;
    }

    private ConfigNode(ConfigNodeKind kind, string file, long line, string? scalar)
    {
        Kind = kind;
        _file = file;
        _line = line;
        Scalar = scalar;
    }

    public ConfigNodeKind Kind { get; private set; }

    /// <summary>
    /// <c>file:line</c> or <c>env NAME</c>. A node read from a file keeps the file and the line and writes the text only
    /// when asked (an error, a location map entry): a 100,000-endpoint file has millions of nodes and few errors.
    /// </summary>
    public string Location
    {
        get => _location ??= string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_file}:{_line}");
        private set => _location = value;
    }

    public string? Scalar { get; private set; }

    /// <summary>True for a node an environment variable gave (its location is <c>env NAME</c>), without writing a file location.</summary>
    public bool IsFromEnvironment => _location is not null && _location.StartsWith("env ", StringComparison.Ordinal);

    /// <summary>Mapping entries in file order; keys are exactly as written. Made when first used: most nodes are scalars.</summary>
    public List<KeyValuePair<string, ConfigNode>> Entries => _entries ??= [];

    public List<ConfigNode> Items => _items ??= [];

    public static ConfigNode Map(string location) => new(ConfigNodeKind.Mapping, location, null);

    public static ConfigNode Sequence(string location) => new(ConfigNodeKind.Sequence, location, null);

    public static ConfigNode Value(string location, string? scalar) => new(ConfigNodeKind.Scalar, location, scalar);

    public static ConfigNode Map(string file, long line) => new(ConfigNodeKind.Mapping, file, line, null);

    public static ConfigNode Sequence(string file, long line) => new(ConfigNodeKind.Sequence, file, line, null);

    public static ConfigNode Value(string file, long line, string? scalar) => new(ConfigNodeKind.Scalar, file, line, scalar);

    /// <summary>Replaces this node's content with a scalar (an environment override of a whole key).</summary>
    public void ReplaceWith(string location, string scalar)
    {
        Kind = ConfigNodeKind.Scalar;
        Location = location;
        Scalar = scalar;
        _entries = null;
        _items = null;
    }

    public void BecomeMapping(string location)
    {
        Kind = ConfigNodeKind.Mapping;
        Location = location;
        Scalar = null;
        _items = null;
    }
}
