namespace Holdfast.Server.Configuration;

/// <summary>
/// Applies <c>HOLDFAST_…</c> environment variables to the configuration tree before binding, the way .NET
/// configuration spells keys: sections joined by a double underscore, list items by index, names matched
/// without regard to case. <c>HOLDFAST_API__LISTEN=127.0.0.1:9053</c> sets <c>api.listen</c>;
/// <c>HOLDFAST_DNS__LISTEN__0=…</c> sets the first DNS address; <c>HOLDFAST_DNS__LISTEN=a,b</c> replaces
/// a list of plain values by a comma-separated one. <c>HOLDFAST_TOKEN</c> belongs to the CLI and is skipped.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "HOLDFAST_";

    private static readonly HashSet<string> s_notConfig = new(StringComparer.OrdinalIgnoreCase) { "HOLDFAST_TOKEN", "HOLDFAST_CONFIG" };

    public static void Apply(ConfigNode root, IReadOnlyDictionary<string, string> environment, List<ConfigError> errors)
    {
        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (s_notConfig.Contains(name))
            {
                continue;
            }

            var segments = name[Prefix.Length..].Split("__");
            if (segments.Any(string.IsNullOrEmpty))
            {
                errors.Add(new ConfigError(name, "env " + name, "expected HOLDFAST_SECTION__KEY with sections separated by a double underscore"));
                continue;
            }

            Set(root, segments, value, "env " + name, errors);
        }
    }

    private static void Set(ConfigNode root, string[] segments, string value, string location, List<ConfigError> errors)
    {
        var node = root;
        var path = "";
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (int.TryParse(segment, out var index) && index >= 0)
            {
                path += $"[{index}]";
                if (node.Kind != ConfigNodeKind.Sequence || index > node.Items.Count)
                {
                    errors.Add(new ConfigError(path, location, node.Kind != ConfigNodeKind.Sequence
                        ? "an index applies only to a list"
                        : $"index {index} is beyond the list's end ({node.Items.Count} items); add items in order"));
                    return;
                }

                if (index == node.Items.Count)
                {
                    node.Items.Add(last ? ConfigNode.Value(location, value) : ConfigNode.Map(location));
                    node = node.Items[index];
                    continue;
                }

                node = node.Items[index];
            }
            else
            {
                path += (path.Length == 0 ? "" : ".") + segment;
                if (node.Kind == ConfigNodeKind.Scalar && node.Scalar is null)
                {
                    node.BecomeMapping(location);
                }

                if (node.Kind != ConfigNodeKind.Mapping)
                {
                    errors.Add(new ConfigError(path, location, "the parent key is not a section"));
                    return;
                }

                var existing = node.Entries.FindIndex(e => string.Equals(e.Key, segment, StringComparison.OrdinalIgnoreCase));
                if (existing < 0)
                {
                    // A key made here matches the binder's key without regard to case (its node says "env ...").
                    node.Entries.Add(new(segment, last ? ConfigNode.Value(location, value) : ConfigNode.Map(location)));
                    existing = node.Entries.Count - 1;
                }

                node = node.Entries[existing].Value;
            }

            if (last)
            {
                if (node.Kind == ConfigNodeKind.Sequence && node.Items.All(n => n.Kind == ConfigNodeKind.Scalar))
                {
                    node.Items.Clear();
                    node.Items.AddRange(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => ConfigNode.Value(location, v)));
                }
                else
                {
                    node.ReplaceWith(location, value);
                }
            }
        }
    }
}
