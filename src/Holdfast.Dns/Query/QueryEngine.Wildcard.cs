using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Query;

/// <summary>Wildcard synthesis (RFC 4592).</summary>
public sealed partial class QueryEngine
{
    /// <summary>
    /// For a name that does not exist: the data of its source of synthesis, <c>*.</c> + closest encloser
    /// (RFC 4592 §3.3.1), if that wildcard exists. The closest encloser is the longest existing ancestor,
    /// empty non-terminals included, so a wildcard never covers a name below an existing name that has no
    /// wildcard of its own. Worked example from RFC 4592 §2.2.1:
    /// <code>
    /// QNAME                          closest encloser     source            result
    /// host3.example.                 example.             *.example.        synthesized
    /// foo.bar.example.               example.             *.example.        synthesized
    /// _telnet._tcp.host1.example.    _tcp.host1.example.  (none there)      NXDOMAIN
    /// ghost.*.example.               *.example.           *.*.example.      NXDOMAIN (absent)
    /// </code>
    /// </summary>
    private static bool TryFindWildcard(ZoneSnapshot zone, ReadOnlySpan<byte> name, out EndpointRecords? endpoint, out Dictionary<ushort, Rrset>? node)
    {
        endpoint = null;
        node = null;
        for (var offset = WireName.NextLabel(name, 0); offset <= name.Length - zone.Apex.Length; offset = WireName.NextLabel(name, offset))
        {
            var ancestor = name[offset..];
            if (!zone.Exists(ancestor))
            {
                continue;
            }

            if (ancestor.Length + 2 > DnsConstants.MaxNameLength)
            {
                return false;
            }

            Span<byte> source = stackalloc byte[DnsConstants.MaxNameLength];
            source[0] = 1;
            source[1] = (byte)'*';
            ancestor.CopyTo(source[2..]);
            var wildcard = source[..(ancestor.Length + 2)];
            endpoint = zone.FindEndpoint(wildcard);
            node = zone.FindNode(wildcard);
            return endpoint is not null || node is not null;
        }

        return false;
    }
}
