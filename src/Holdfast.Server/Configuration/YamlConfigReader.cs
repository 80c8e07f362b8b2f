using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Holdfast.Server.Configuration;

/// <summary>
/// Reads YAML text into a <see cref="ConfigNode"/> tree, keeping each node's line (YamlDotNet's parser marks). It builds
/// the tree straight from the parser's events: YamlDotNet's own node tree (<c>YamlStream</c>) took 10 s and 1.3 GiB for
/// a 100,000-endpoint file, only to be converted and dropped; the events take 2 s.
/// </summary>
internal static class YamlConfigReader
{
    public static ConfigNode? Read(string yaml, string fileName, List<ConfigError> errors)
    {
        var reader = new EventReader(new Parser(new StringReader(yaml)), fileName, errors);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException ex)
        {
            // YamlDotNet reports syntax errors with the mark where it noticed them; duplicate keys are reported the same way.
            errors.Add(new ConfigError("(document)", $"{fileName}:{ex.Start.Line}", "not valid YAML: " + Describe(ex)));
            return null;
        }
    }

    private static string Describe(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the location is already ours.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    private sealed class EventReader(IParser parser, string fileName, List<ConfigError> errors)
    {
        private readonly Dictionary<string, ConfigNode> _anchors = new(StringComparer.Ordinal);

        public ConfigNode? ReadStream()
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return ConfigNode.Map(fileName, 1);
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(null);
            parser.Consume<DocumentEnd>();
            if (parser.TryConsume<DocumentStart>(out _))
            {
                errors.Add(new ConfigError("(document)", $"{fileName}:{parser.Current?.Start.Line}", "expected one YAML document, found several (remove the '---' separators)"));
                return null;
            }

            return root;
        }

        // A value is located at its key's line: a section's first child is on the line after its key.
        private ConfigNode ReadNode(long? keyLine)
        {
            var start = parser.Current ?? throw new YamlException("the document ends inside a value");
            var line = keyLine ?? start.Start.Line;
            ConfigNode node;
            switch (start)
            {
                case Scalar scalar:
                    parser.MoveNext();

                    // A plain empty value or ~ / null means "not given": the key then takes its default.
                    var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
                    node = ConfigNode.Value(fileName, line, isNull ? null : scalar.Value);
                    break;
                case SequenceStart:
                    parser.MoveNext();
                    node = ConfigNode.Sequence(fileName, line);
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        node.Items.Add(ReadNode(null));
                    }

                    break;
                case MappingStart:
                    parser.MoveNext();
                    node = ConfigNode.Map(fileName, line);
                    HashSet<string>? keys = null; // only for a long mapping: the usual few keys are compared in place
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        if (parser.Current is not Scalar { } key)
                        {
                            errors.Add(new ConfigError("(document)", $"{fileName}:{parser.Current?.Start.Line}", "a key must be a plain word"));
                            ReadNode(null);
                            ReadNode(null);
                            continue;
                        }

                        parser.MoveNext();
                        if (IsDuplicate(node, key.Value, ref keys))
                        {
                            throw new YamlException(key.Start, key.End, $"Duplicate key '{key.Value}'");
                        }

                        node.Entries.Add(new(key.Value, ReadNode(key.Start.Line)));
                    }

                    break;
                case AnchorAlias alias:
                    // YAML 1.2 §3.2.2.2: an alias stands for the node its anchor names (shared, as YamlDotNet's tree shared it).
                    parser.MoveNext();
                    if (_anchors.TryGetValue(alias.Value.Value, out var anchored))
                    {
                        return anchored;
                    }

                    throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} names no anchor before it");
                default:
                    throw new YamlException(start.Start, start.End, $"unexpected {start.GetType().Name}");
            }

            if (start is NodeEvent { Anchor.IsEmpty: false } anchoredEvent)
            {
                _anchors[anchoredEvent.Anchor.Value] = node;
            }

            return node;
        }

        private static bool IsDuplicate(ConfigNode mapping, string key, ref HashSet<string>? keys)
        {
            var entries = mapping.Entries;
            if (keys is null && entries.Count < 16)
            {
                return entries.Exists(e => e.Key == key);
            }

            keys ??= [.. entries.Select(e => e.Key)];
            return !keys.Add(key);
        }
    }
}
