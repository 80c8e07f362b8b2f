using Holdfast.Dns.Names;

namespace Holdfast.Dns.Zones;

/// <summary>All zones served, immutable. The query engine holds one and swaps it whole on every change.</summary>
public sealed class ZoneSet
{
    private readonly Dictionary<byte[], ZoneSnapshot> _zones;

    public ZoneSet(IEnumerable<ZoneSnapshot> zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        _zones = new Dictionary<byte[], ZoneSnapshot>(WireNameComparer.Instance);
        foreach (var zone in zones)
        {
            if (!_zones.TryAdd(zone.Apex, zone))
            {
                throw new ArgumentException($"zone {zone.ApexText} given twice", nameof(zones));
            }
        }
    }

    public static ZoneSet Empty { get; } = new([]);

    public IEnumerable<ZoneSnapshot> Zones => _zones.Values;

    public ZoneSnapshot? Find(string apex) => _zones.GetValueOrDefault(WireName.FromText(apex));

    /// <summary>The zone with the longest apex at or above <paramref name="name"/> (lower-case wire), or null.</summary>
    public ZoneSnapshot? FindZoneFor(ReadOnlySpan<byte> name)
    {
        var lookup = _zones.GetAlternateLookup<ReadOnlySpan<byte>>();
        for (var offset = 0; offset < name.Length; offset = WireName.NextLabel(name, offset))
        {
            if (lookup.TryGetValue(name[offset..], out var zone))
            {
                return zone;
            }

            if (name[offset] == 0)
            {
                break;
            }
        }

        return null;
    }
}
