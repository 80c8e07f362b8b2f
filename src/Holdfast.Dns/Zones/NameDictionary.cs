using System.Collections;
using System.Numerics;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Zones;

/// <summary>
/// A persistent (immutable) map keyed by lower-case wire names: a hash trie with 32-way nodes, data and children kept
/// apart in each node (the CHAMP layout of Steindorfer and Vinju, OOPSLA 2015). Setting or removing one key copies
/// only the nodes on its path (about log32 n of them: 4 for 100,000 keys), so a zone snapshot with one endpoint
/// changed shares everything else with the snapshot before it. Lookups by span allocate nothing. Thread-safe to read;
/// a <see cref="Builder"/> edits in place the nodes it created itself (a transient, as Clojure calls it), which makes
/// loading many keys cheap.
/// </summary>
/// <remarks>
/// <code>
/// level   hash bits   fan-out
/// 0..5    5 each      32
/// 6       2           4
/// 7       none        a collision node: keys whose 32-bit hashes are equal, in a list
/// </code>
/// </remarks>
public sealed class NameDictionary<TValue> : IReadOnlyDictionary<byte[], TValue>
{
    private const int BitsPerLevel = 5;
    private const int CollisionShift = 35;
    private readonly Node _root;

    /// <summary>An empty map.</summary>
    public NameDictionary()
        : this(Node.Empty, 0)
    {
    }

    private NameDictionary(Node root, int count)
    {
        _root = root;
        Count = count;
    }

    public int Count { get; }

    public IEnumerable<byte[]> Keys => this.Select(pair => pair.Key);

    public IEnumerable<TValue> Values => this.Select(pair => pair.Value);

    public TValue this[byte[] key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{WireName.ToText(key)} is not in the map");

    public bool ContainsKey(byte[] key) => TryGetValue(key.AsSpan(), out _);

    public bool ContainsKey(ReadOnlySpan<byte> key) => TryGetValue(key, out _);

    public bool TryGetValue(byte[] key, out TValue value) => TryGetValue(key.AsSpan(), out value);

    /// <summary>Finds <paramref name="key"/> without allocating.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, out TValue value)
    {
        var hash = Hash(key);
        var node = _root;
        for (var shift = 0; ; shift += BitsPerLevel)
        {
            if (node.IsCollision)
            {
                for (var i = 0; i < node.Keys.Length; i++)
                {
                    if (key.SequenceEqual(node.Keys[i]))
                    {
                        value = node.Values[i];
                        return true;
                    }
                }

                break;
            }

            var bit = Bit(hash, shift);
            if ((node.DataMap & bit) != 0)
            {
                var index = Index(node.DataMap, bit);
                if (node.Hashes[index] == hash && key.SequenceEqual(node.Keys[index]))
                {
                    value = node.Values[index];
                    return true;
                }

                break;
            }

            if ((node.NodeMap & bit) == 0)
            {
                break;
            }

            node = node.Children[Index(node.NodeMap, bit)];
        }

        value = default!;
        return false;
    }

    /// <summary>This map with <paramref name="key"/> set to <paramref name="value"/>; the key array is kept, not copied.</summary>
    public NameDictionary<TValue> SetItem(byte[] key, TValue value)
    {
        var builder = ToBuilder();
        builder.Set(key, value);
        return builder.ToImmutable();
    }

    /// <summary>This map without <paramref name="key"/> (the same map when it is absent).</summary>
    public NameDictionary<TValue> Remove(ReadOnlySpan<byte> key)
    {
        var builder = ToBuilder();
        builder.Remove(key);
        return builder.ToImmutable();
    }

    /// <summary>A builder starting from this map; the map itself never changes.</summary>
    public Builder ToBuilder() => new(_root, Count);

    public IEnumerator<KeyValuePair<byte[], TValue>> GetEnumerator() => Enumerate(_root).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static IEnumerable<KeyValuePair<byte[], TValue>> Enumerate(Node node)
    {
        for (var i = 0; i < node.Keys.Length; i++)
        {
            yield return new KeyValuePair<byte[], TValue>(node.Keys[i], node.Values[i]);
        }

        foreach (var child in node.Children)
        {
            foreach (var pair in Enumerate(child))
            {
                yield return pair;
            }
        }
    }

    private static uint Hash(ReadOnlySpan<byte> key) => (uint)WireNameComparer.Instance.GetHashCode(key);

    private static uint Bit(uint hash, int shift) => 1u << (int)((hash >> shift) & 31);

    private static int Index(uint map, uint bit) => BitOperations.PopCount(map & (bit - 1));

    /// <summary>
    /// Edits a copy of a map. Nodes this builder created are changed in place; nodes shared with a published map are
    /// copied first. <see cref="ToImmutable"/> hands the result out and stops further in-place edits of it. Not thread-safe.
    /// </summary>
    public sealed class Builder
    {
        private Node _root;
        private object _owner = new();

        internal Builder(Node root, int count)
        {
            _root = root;
            Count = count;
        }

        public int Count { get; private set; }

        public bool TryGetValue(ReadOnlySpan<byte> key, out TValue value) => new NameDictionary<TValue>(_root, Count).TryGetValue(key, out value);

        /// <summary>Sets <paramref name="key"/> (lower-case wire name, kept by reference) to <paramref name="value"/>; true when the key is new.</summary>
        public bool Set(byte[] key, TValue value)
        {
            ArgumentNullException.ThrowIfNull(key);
            var added = false;
            _root = SetIn(_root, key, Hash(key), value, 0, ref added);
            if (added)
            {
                Count++;
            }

            return added;
        }

        /// <summary>Removes <paramref name="key"/>; true when it was present.</summary>
        public bool Remove(ReadOnlySpan<byte> key)
        {
            var removed = false;
            _root = RemoveFrom(_root, key, Hash(key), 0, ref removed);
            if (removed)
            {
                Count--;
            }

            return removed;
        }

        public NameDictionary<TValue> ToImmutable()
        {
            _owner = new object();
            return new NameDictionary<TValue>(_root, Count);
        }

        private Node SetIn(Node node, byte[] key, uint hash, TValue value, int shift, ref bool added)
        {
            if (node.IsCollision)
            {
                var at = Array.FindIndex(node.Keys, k => k.AsSpan().SequenceEqual(key));
                var edited = Editable(node);
                if (at >= 0)
                {
                    edited.Values[at] = value;
                }
                else
                {
                    added = true;
                    edited.Keys = [.. node.Keys, key];
                    edited.Values = [.. node.Values, value];
                    edited.Hashes = [.. node.Hashes, hash];
                }

                return edited;
            }

            var bit = Bit(hash, shift);
            if ((node.DataMap & bit) != 0)
            {
                var index = Index(node.DataMap, bit);
                if (node.Hashes[index] == hash && node.Keys[index].AsSpan().SequenceEqual(key))
                {
                    var same = Editable(node);
                    same.Values[index] = value;
                    return same;
                }

                // Two keys share this slot: both move one level down.
                added = true;
                var child = Merge(node.Keys[index], node.Hashes[index], node.Values[index], key, hash, value, shift + BitsPerLevel);
                var moved = Editable(node);
                moved.DataMap ^= bit;
                moved.NodeMap |= bit;
                moved.Keys = Without(node.Keys, index);
                moved.Values = Without(node.Values, index);
                moved.Hashes = Without(node.Hashes, index);
                moved.Children = With(node.Children, Index(moved.NodeMap, bit), child);
                return moved;
            }

            if ((node.NodeMap & bit) != 0)
            {
                var index = Index(node.NodeMap, bit);
                var child = node.Children[index];
                var changed = SetIn(child, key, hash, value, shift + BitsPerLevel, ref added);
                if (ReferenceEquals(changed, child))
                {
                    return node;
                }

                var parent = Editable(node);
                parent.Children[index] = changed;
                return parent;
            }

            added = true;
            var insert = Index(node.DataMap, bit);
            var grown = Editable(node);
            grown.DataMap |= bit;
            grown.Keys = With(node.Keys, insert, key);
            grown.Values = With(node.Values, insert, value);
            grown.Hashes = With(node.Hashes, insert, hash);
            return grown;
        }

        private Node RemoveFrom(Node node, ReadOnlySpan<byte> key, uint hash, int shift, ref bool removed)
        {
            if (node.IsCollision)
            {
                for (var i = 0; i < node.Keys.Length; i++)
                {
                    if (key.SequenceEqual(node.Keys[i]))
                    {
                        removed = true;
                        var edited = Editable(node);
                        edited.Keys = Without(node.Keys, i);
                        edited.Values = Without(node.Values, i);
                        edited.Hashes = Without(node.Hashes, i);
                        return edited;
                    }
                }

                return node;
            }

            var bit = Bit(hash, shift);
            if ((node.DataMap & bit) != 0)
            {
                var index = Index(node.DataMap, bit);
                if (node.Hashes[index] != hash || !key.SequenceEqual(node.Keys[index]))
                {
                    return node;
                }

                removed = true;
                var shrunk = Editable(node);
                shrunk.DataMap ^= bit;
                shrunk.Keys = Without(node.Keys, index);
                shrunk.Values = Without(node.Values, index);
                shrunk.Hashes = Without(node.Hashes, index);
                return shrunk;
            }

            if ((node.NodeMap & bit) == 0)
            {
                return node;
            }

            var at = Index(node.NodeMap, bit);
            var child = node.Children[at];
            var changed = RemoveFrom(child, key, hash, shift + BitsPerLevel, ref removed);
            if (ReferenceEquals(changed, child))
            {
                return node;
            }

            var parent = Editable(node);
            if (changed.Children.Length == 0 && changed.Keys.Length <= 1)
            {
                // Keep the trie canonical: an empty child goes, a child left with one key gives it back to this level.
                parent.NodeMap ^= bit;
                parent.Children = Without(node.Children, at);
                if (changed.Keys.Length == 1)
                {
                    var insert = Index(node.DataMap, bit);
                    parent.DataMap |= bit;
                    parent.Keys = With(node.Keys, insert, changed.Keys[0]);
                    parent.Values = With(node.Values, insert, changed.Values[0]);
                    parent.Hashes = With(node.Hashes, insert, changed.Hashes[0]);
                }
            }
            else
            {
                parent.Children[at] = changed;
            }

            return parent;
        }

        private Node Merge(byte[] key1, uint hash1, TValue value1, byte[] key2, uint hash2, TValue value2, int shift)
        {
            if (shift >= CollisionShift)
            {
                return new Node(_owner) { IsCollision = true, Keys = [key1, key2], Values = [value1, value2], Hashes = [hash1, hash2] };
            }

            var bit1 = Bit(hash1, shift);
            var bit2 = Bit(hash2, shift);
            if (bit1 == bit2)
            {
                return new Node(_owner) { NodeMap = bit1, Children = [Merge(key1, hash1, value1, key2, hash2, value2, shift + BitsPerLevel)] };
            }

            var first = bit1 < bit2;
            return new Node(_owner)
            {
                DataMap = bit1 | bit2,
                Keys = first ? [key1, key2] : [key2, key1],
                Values = first ? [value1, value2] : [value2, value1],
                Hashes = first ? [hash1, hash2] : [hash2, hash1],
            };
        }

        /// <summary>The node itself when this builder made it, else a copy this builder owns (arrays copied, so the original never changes).</summary>
        private Node Editable(Node node) =>
            ReferenceEquals(node.Owner, _owner)
                ? node
                : new Node(_owner)
                {
                    IsCollision = node.IsCollision,
                    DataMap = node.DataMap,
                    NodeMap = node.NodeMap,
                    Keys = [.. node.Keys],
                    Values = [.. node.Values],
                    Hashes = [.. node.Hashes],
                    Children = [.. node.Children],
                };

        private static T[] With<T>(T[] items, int index, T item)
        {
            var result = new T[items.Length + 1];
            items.AsSpan(0, index).CopyTo(result);
            result[index] = item;
            items.AsSpan(index).CopyTo(result.AsSpan(index + 1));
            return result;
        }

        private static T[] Without<T>(T[] items, int index)
        {
            var result = new T[items.Length - 1];
            items.AsSpan(0, index).CopyTo(result);
            items.AsSpan(index + 1).CopyTo(result.AsSpan(index));
            return result;
        }
    }

    internal sealed class Node(object? owner)
    {
        public static Node Empty { get; } = new(null);

        /// <summary>The builder allowed to change this node in place; null once published (or for the shared empty node).</summary>
        public object? Owner { get; } = owner;

        public bool IsCollision { get; set; }

        public uint DataMap { get; set; }

        public uint NodeMap { get; set; }

        public byte[][] Keys { get; set; } = [];

        public TValue[] Values { get; set; } = [];

        public uint[] Hashes { get; set; } = [];

        public Node[] Children { get; set; } = [];
    }
}
