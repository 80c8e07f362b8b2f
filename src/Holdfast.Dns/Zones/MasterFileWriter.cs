using System.Net.Sockets;
using System.Text;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Zones;

/// <summary>
/// A zone snapshot as a master file (RFC 1035 §5), for debugging transfers and for tests: the SOA first, then
/// every other RRset in canonical name order (RFC 4034 §6.1), one absolute record per line. Endpoints are
/// written with all their addresses (not a rotated subset). <see cref="MasterFileReader"/> reads the result
/// back into the same data.
/// </summary>
public static class MasterFileWriter
{
    public static string Write(ZoneSnapshot zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var text = new StringBuilder();
        text.Append(RdataFormatter.FormatRecord(zone.Apex, zone.Soa.Ttl, DnsType.Soa, zone.Soa.Rdata[0])).Append('\n');
        var owners = zone.Nodes.Keys.Concat(zone.Endpoints.Keys).Distinct(WireNameComparer.Instance).Order(CanonicalOrder.Instance);
        foreach (var owner in owners)
        {
            if (zone.FindNode(owner) is { } node)
            {
                foreach (var set in node.Values.Where(s => s.Type != DnsType.Soa).OrderBy(s => s.Type))
                {
                    foreach (var rdata in set.Rdata)
                    {
                        text.Append(RdataFormatter.FormatRecord(owner, set.Ttl, set.Type, rdata)).Append('\n');
                    }
                }
            }

            if (zone.FindEndpoint(owner) is { } endpoint)
            {
                foreach (var address in endpoint.Addresses.OrderBy(a => a.Address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1))
                {
                    var type = address.Address.AddressFamily == AddressFamily.InterNetwork ? DnsType.A : DnsType.Aaaa;
                    text.Append(RdataFormatter.FormatRecord(owner, endpoint.Ttl, type, address.Address.GetAddressBytes())).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    /// <summary>RFC 4034 §6.1: names compare label by label from the root, each label as lower-case octets.</summary>
    private sealed class CanonicalOrder : IComparer<byte[]>
    {
        public static CanonicalOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y)
        {
            var a = Labels(x!);
            var b = Labels(y!);
            for (var i = 1; i <= Math.Min(a.Count, b.Count); i++)
            {
                var order = x.AsSpan(a[^i].Start, a[^i].Length).SequenceCompareTo(y.AsSpan(b[^i].Start, b[^i].Length));
                if (order != 0)
                {
                    return order;
                }
            }

            return a.Count.CompareTo(b.Count);
        }

        private static List<(int Start, int Length)> Labels(byte[] name)
        {
            var labels = new List<(int, int)>();
            for (var offset = 0; offset < name.Length && name[offset] != 0; offset = WireName.NextLabel(name, offset))
            {
                labels.Add((offset + 1, name[offset]));
            }

            return labels;
        }
    }
}
