using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Holdfast.Server.Configuration;

/// <summary>Reads YAML text into a <see cref="ConfigNode"/> tree, keeping each node's line (YamlDotNet's parser marks).</summary>
internal static class YamlConfigReader
{
    public static ConfigNode? Read(string yaml, string fileName, List<ConfigError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            // YamlDotNet reports duplicate keys and syntax errors with the mark where it noticed them.
            errors.Add(new ConfigError("(document)", $"{fileName}:{ex.Start.Line}", "not valid YAML: " + Describe(ex)));
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            return ConfigNode.Map(fileName + ":1");
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add(new ConfigError("(document)", $"{fileName}:{stream.Documents[1].RootNode.Start.Line}", "expected one YAML document, found several (remove the '---' separators)"));
            return null;
        }

        return Convert(stream.Documents[0].RootNode, fileName, null, errors);
    }

    // A value is located at its key's line: a section's first child is on the line after its key.
    private static ConfigNode Convert(YamlNode node, string fileName, long? keyLine, List<ConfigError> errors)
    {
        var location = $"{fileName}:{keyLine ?? node.Start.Line}";
        switch (node)
        {
            case YamlMappingNode mapping:
                var map = ConfigNode.Map(location);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        errors.Add(new ConfigError("(document)", $"{fileName}:{key.Start.Line}", "a key must be a plain word"));
                        continue;
                    }

                    map.Entries.Add(new(name, Convert(value, fileName, key.Start.Line, errors)));
                }

                return map;
            case YamlSequenceNode sequence:
                var list = ConfigNode.Sequence(location);
                list.Items.AddRange(sequence.Children.Select(c => Convert(c, fileName, null, errors)));
                return list;
            case YamlScalarNode scalar:
                // A plain empty value or ~ / null means "not given": the key then takes its default.
                var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return ConfigNode.Value(location, isNull ? null : scalar.Value);
            default:
                errors.Add(new ConfigError("(document)", location, "aliases and anchors are not supported here"));
                return ConfigNode.Value(location, null);
        }
    }

    private static string Describe(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the location is already ours.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}
