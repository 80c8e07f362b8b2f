namespace Holdfast.Server.Configuration;

/// <summary>
/// Where each list item and key came from, so that the cross-reference checks can name the line too. The path
/// (<c>endpoints[3].targets[1].az</c>) is looked up in the tree when an error needs it, not recorded for every key as it
/// is bound: a 100,000-endpoint file has millions of keys and few errors.
/// </summary>
internal sealed class ConfigLocations
{
    /// <summary>The configuration tree the paths are read in (after environment overrides).</summary>
    public required ConfigNode Root { get; init; }

    /// <summary>The location given for a path the tree does not hold.</summary>
    public string Fallback { get; init; } = "";

    public string Of(string path) => Find(path)?.Location ?? Fallback;

    private ConfigNode? Find(string path)
    {
        ConfigNode? node = Root;
        var at = 0;
        while (node is not null && at < path.Length)
        {
            if (path[at] == '[')
            {
                var close = path.IndexOf(']', at);
                if (close < 0 || !int.TryParse(path.AsSpan(at + 1, close - at - 1), out var index))
                {
                    return null;
                }

                node = node.Kind == ConfigNodeKind.Sequence && index < node.Items.Count ? node.Items[index] : null;
                at = close + 1;
                continue;
            }

            if (path[at] == '.')
            {
                at++;
            }

            var end = path.IndexOfAny(['.', '['], at);
            end = end < 0 ? path.Length : end;
            node = node.Kind == ConfigNodeKind.Mapping ? ConfigSection.Entry(node, path[at..end]) : null;
            at = end;
        }

        return node;
    }
}
