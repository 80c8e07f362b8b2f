using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;

namespace Holdfast.Server.Dashboard;

/// <summary>
/// What a client resolving a name gets now: an A and an AAAA query answered by the same query engine and zone snapshot
/// the DNS listeners answer from (in process, no socket), read back from the wire response.
/// </summary>
public static class LiveAnswer
{
    /// <summary>The response code and addresses of each query type, A first.</summary>
    public static IReadOnlyList<(string Type, string Rcode, IReadOnlyList<IPAddress> Addresses)> Resolve(QueryEngine engine, string name)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var results = new List<(string, string, IReadOnlyList<IPAddress>)>(2);
        var response = new byte[DnsConstants.DefaultEdnsUdpLimit];
        foreach (var (type, code) in new[] { ("A", DnsType.A), ("AAAA", DnsType.Aaaa) })
        {
            var query = DnsQueryBuilder.Build(1, name, code, ednsPayload: DnsConstants.DefaultEdnsUdpLimit);
            var length = engine.Answer(query, response, overUdp: true);
            var addresses = new List<IPAddress>();
            var rcodeText = "no answer";
            if (length > 0 && DnsResponseReader.TryReadAnswerAddresses(response.AsSpan(0, length), addresses, out var rcode))
            {
                rcodeText = DnsRcode.Name(rcode);
            }

            results.Add((type, rcodeText, addresses));
        }

        return results;
    }
}
