using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Query;

/// <summary>Referrals at zone cuts (RFC 1034 §4.3.2 step 3b, RFC 9471 for glue).</summary>
public sealed partial class QueryEngine
{
    /// <summary>
    /// A referral for a question name at or below the cut at <paramref name="cut"/> (its offset in the name):
    /// no answer, the cut's NS RRset in authority, and the A and AAAA records this zone holds for name servers
    /// inside it in additional. RFC 9471 §3: glue for a name server below the cut is required, so a referral
    /// whose required glue does not fit is truncated; other in-zone addresses are added while they fit.
    /// </summary>
    private static int Refer(ref DnsResponseWriter writer, ZoneSnapshot zone, scoped ReadOnlySpan<byte> name, int cut, ref bool truncated)
    {
        var cutName = name[cut..];
        var ns = zone.FindNode(cutName)![DnsType.Ns];

        // The cut is a suffix of the question name: point into the question (RFC 1035 §4.1.4).
        if (!TryWriteSet(ref writer, DnsConstants.HeaderLength + cut, default, ns, 2))
        {
            truncated = true;
            return DnsRcode.NoError;
        }

        foreach (var target in ns.Rdata)
        {
            if (!WireName.IsAtOrBelow(target, zone.Apex) || zone.FindNode(target) is not { } host)
            {
                continue;
            }

            var required = WireName.IsAtOrBelow(target, cutName);
            foreach (var addressType in (ReadOnlySpan<ushort>)[DnsType.A, DnsType.Aaaa])
            {
                var position = writer.Position;
                var count = writer.GetCount(3);
                if (host.TryGetValue(addressType, out var addresses) && !TryWriteSet(ref writer, -1, target, addresses, 3))
                {
                    // Never half an RRset (RFC 2181 §9): take back what of it was written.
                    writer.Position = position;
                    writer.SetCount(3, count);
                    truncated = required;
                    return DnsRcode.NoError;
                }
            }
        }

        return DnsRcode.NoError;
    }
}
