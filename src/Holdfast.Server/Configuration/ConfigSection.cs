using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace Holdfast.Server.Configuration;

/// <summary>
/// Reads one mapping of the tree: each getter names a key it knows, converts and range-checks its value and
/// records an error (path, line, what is expected) instead of throwing; <see cref="Finish"/> reports every
/// key nobody asked for, so that a typo is an error rather than a silently ignored setting.
/// </summary>
internal sealed class ConfigSection
{
    private readonly ConfigNode _node;
    private readonly List<ConfigError> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly ConfigLocations? _locations;

    public ConfigSection(ConfigNode node, string path, List<ConfigError> errors, ConfigLocations? locations = null)
    {
        _node = node;
        Path = path;
        _errors = errors;
        _locations = locations;
    }

    public string Path { get; }

    public string Location => _node.Location;

    /// <summary>Reads <paramref name="node"/> as a section; null (and an error) when it is not a mapping.</summary>
    public static ConfigSection? Of(ConfigNode? node, string path, List<ConfigError> errors, ConfigLocations? locations = null)
    {
        if (node is null || (node.Kind == ConfigNodeKind.Scalar && node.Scalar is null))
        {
            return null;
        }

        if (node.Kind != ConfigNodeKind.Mapping)
        {
            errors.Add(new ConfigError(path, node.Location, $"expected a section (key: value lines), got {Describe(node)}"));
            return null;
        }

        return new ConfigSection(node, path, errors, locations);
    }

    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    public void Error(string key, string message) => _errors.Add(new ConfigError(KeyPath(key), LocationOf(key), message));

    public string LocationOf(string key) => Find(key)?.Location ?? _node.Location;

    public ConfigNode? Find(string key)
    {
        _known.Add(key);
        var value = Entry(_node, key);
        return value is null || (value.Kind == ConfigNodeKind.Scalar && value.Scalar is null) ? null : value;
    }

    /// <summary>The entry <paramref name="key"/> of a mapping: written exactly so, or (environment variables are upper case) any case from the environment.</summary>
    internal static ConfigNode? Entry(ConfigNode mapping, string key)
    {
        foreach (var (name, value) in mapping.Entries)
        {
            if (name == key || (value.IsFromEnvironment && string.Equals(name, key, StringComparison.OrdinalIgnoreCase)))
            {
                return value;
            }
        }

        return null;
    }

    public bool Has(string key) => Find(key) is not null;

    public ConfigSection? Section(string key) => Of(Find(key), KeyPath(key), _errors, _locations);

    /// <summary>The items of a list key as sections (an item that is not a mapping is an error and left out).</summary>
    public IEnumerable<ConfigSection> Sections(string key) =>
        List(key).Select(i => Of(i.Node, i.Path, _errors, _locations)).OfType<ConfigSection>();

    public string? String(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null)
        {
            if (required)
            {
                Error(key, "is required");
            }

            return null;
        }

        if (node.Kind != ConfigNodeKind.Scalar)
        {
            _errors.Add(new ConfigError(KeyPath(key), node.Location, $"expected a single value, got {Describe(node)}"));
            return null;
        }

        return node.Scalar;
    }

    public T Parse<T>(string key, T fallback, string expected, TryParse<T> parse, bool required = false)
    {
        var text = String(key, required);
        if (text is null)
        {
            return fallback;
        }

        if (parse(text.Trim(), out var value))
        {
            return value;
        }

        Error(key, $"expected {expected}, got '{text}'");
        return fallback;
    }

    public int Int(string key, int fallback, int min, int max, bool required = false) =>
        Parse(key, fallback, $"a whole number from {min} to {max}", (string s, out int v) =>
            int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v) && v >= min && v <= max, required);

    /// <summary>A whole number whose range the caller checks (where the range belongs to the bound type).</summary>
    public int WholeNumber(string key, int fallback) =>
        Parse(key, fallback, "a whole number", (string s, out int v) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v));

    public long Long(string key, long fallback, long min, long max, bool required = false) =>
        Parse(key, fallback, $"a whole number from {min} to {max}", (string s, out long v) =>
            long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v) && v >= min && v <= max, required);

    public double Fraction(string key, double fallback, double min, bool minExclusive = false) =>
        Parse(key, fallback, minExclusive ? $"a number above {min} and at most 1" : $"a number from {min} to 1", (string s, out double v) =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && (minExclusive ? v > min : v >= min) && v <= 1, required: false);

    public bool Bool(string key, bool fallback) =>
        Parse(key, fallback, "true or false", (string s, out bool v) => bool.TryParse(s, out v));

    public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan min, TimeSpan max) =>
        Parse(key, fallback, $"a duration such as 500ms, 2s, 5m or 1h from {DurationText.Format(min)} to {DurationText.Format(max)}", (string s, out TimeSpan v) =>
            DurationText.TryParse(s, out v) && v >= min && v <= max);

    /// <summary>A listen address: port 0 asks the OS for a free port (tests; the bound port is printed at start).</summary>
    public IPEndPoint? ListenEndPoint(string key) =>
        Parse<IPEndPoint?>(key, null, "ADDRESS:PORT with an IP address and a port from 0 to 65535 (IPv6 as [::1]:5353)", (string t, out IPEndPoint? v) => TryEndPoint(t, out v, allowAnyPort: true));

    public static bool TryEndPoint(string s, out IPEndPoint? value, bool allowAnyPort = false)
    {
        value = null;
        // IPEndPoint.TryParse accepts a bare address (port 0): the port must be written out; only a listen address may ask for any port.
        if (!IPEndPoint.TryParse(s, out var parsed) || (parsed.Port is 0 && !allowAnyPort) || !s.Contains(':', StringComparison.Ordinal) || (parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !s.StartsWith('[')) || s.EndsWith(':'))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    public IPAddress? Address(string key, bool required = false) =>
        Parse<IPAddress?>(key, null, "an IPv4 or IPv6 address such as 127.0.0.10 or ::1", (string s, out IPAddress? v) =>
            IPAddress.TryParse(s, out v) && (s.Contains(':', StringComparison.Ordinal) || s.Count(c => c == '.') == 3), required);

    public TEnum Enum<TEnum>(string key, TEnum fallback, bool required = false)
        where TEnum : struct, System.Enum => EnumOrNull<TEnum>(key, required) ?? fallback;

    /// <summary>The value as one of the enum's names (any case); null when absent or invalid (then an error says which names exist).</summary>
    public TEnum? EnumOrNull<TEnum>(string key, bool required = false)
        where TEnum : struct, System.Enum
    {
        var names = string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));
        return Parse<TEnum?>(key, null, "one of " + names, (string s, out TEnum? v) =>
        {
            v = System.Enum.TryParse<TEnum>(s, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !s.Any(char.IsDigit) ? parsed : null;
            return v is not null;
        }, required);
    }

    /// <summary>The items of a list key; a single plain value counts as a list of one.</summary>
    public IReadOnlyList<(ConfigNode Node, string Path)> List(string key)
    {
        var node = Find(key);
        if (node is null)
        {
            return [];
        }

        if (node.Kind == ConfigNodeKind.Sequence)
        {
            return node.Items.Select((n, i) => (n, $"{KeyPath(key)}[{i}]")).ToList();
        }

        if (node.Kind == ConfigNodeKind.Scalar)
        {
            return [(node, KeyPath(key) + "[0]")];
        }

        _errors.Add(new ConfigError(KeyPath(key), node.Location, "expected a list (- item lines or [a, b])"));
        return [];
    }

    /// <summary>A list of plain values, each converted by <paramref name="parse"/>; bad items are reported by index.</summary>
    public ImmutableArray<T> Values<T>(string key, string expected, TryParse<T> parse)
    {
        var values = ImmutableArray.CreateBuilder<T>();
        foreach (var (node, path) in List(key))
        {
            if (node.Kind != ConfigNodeKind.Scalar || node.Scalar is null)
            {
                _errors.Add(new ConfigError(path, node.Location, $"expected {expected}, got {Describe(node)}"));
            }
            else if (parse(node.Scalar.Trim(), out var value))
            {
                values.Add(value);
            }
            else
            {
                _errors.Add(new ConfigError(path, node.Location, $"expected {expected}, got '{node.Scalar}'"));
            }
        }

        return values.ToImmutable();
    }

    /// <summary>Reports every key of this section that no getter asked for.</summary>
    public void Finish()
    {
        foreach (var (name, value) in _node.Entries)
        {
            var known = value.Location.StartsWith("env ", StringComparison.Ordinal)
                ? _known.Contains(name, StringComparer.OrdinalIgnoreCase)
                : _known.Contains(name);
            if (!known)
            {
                var close = _known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                    ?? _known.FirstOrDefault(k => EditDistance(k.ToLowerInvariant(), name.ToLowerInvariant()) <= 2);
                var hint = close is not null ? $"did you mean '{close}'? " : "";
                _errors.Add(new ConfigError(KeyPath(name), value.Location, $"unknown key; {hint}expected one of: {string.Join(", ", _known)}"));
            }
        }
    }

    // Levenshtein distance, for "did you mean" on typos such as 'listn' or 'capacityFlor'.
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    public static string Describe(ConfigNode node) => node.Kind switch
    {
        ConfigNodeKind.Mapping => "a section",
        ConfigNodeKind.Sequence => "a list",
        _ => $"'{node.Scalar}'",
    };

    public delegate bool TryParse<T>(string text, out T value);
}
