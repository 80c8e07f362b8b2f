using System.Net;
using Holdfast.ControlPlane.Serving;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;

namespace Holdfast.Simulation.World;

/// <summary>
/// What a client would resolve, asked of the real <see cref="QueryEngine"/> in process, fed by the host's own
/// <see cref="ZoneFeed"/> from the store's change feed (catching up before every resolution, so the answer reflects
/// every change the store acknowledged), and each resolution is a real query message answered and read back. The fenced
/// world serves with the last-good-answer rule, as Holdfast does; the legacy world serves the applied records as they
/// are, as the 2025 system did, so its empty answers reach clients. A feed read that fails (an injected disconnect)
/// leaves the previous data serving, as the host's DNS server would.
/// </summary>
public sealed class DnsAnswerSource : IAnswerSource
{
    private readonly QueryEngine _engine = new();
    private readonly ZoneFeed _feed;
    private readonly Dictionary<string, byte[]> _queries = new(StringComparer.Ordinal);
    private readonly byte[] _response = new byte[DnsConstants.TcpLimit];
    private readonly List<IPAddress> _addresses = [];

    public DnsAnswerSource(IControlStore store, TimeProvider time, Random random, bool lastGoodAnswerRule)
    {
        _feed = new ZoneFeed(store, _engine, time, random, lastGoodAnswerRule);
    }

    /// <summary>How many times zone data was published (a measure of the observer's cost).</summary>
    public long Rebuilds => _feed.Publishes;

    /// <summary>How many empty updates the last-good-answer rule refused (0 in the legacy world).</summary>
    public long LastGoodAnswersKept => _feed.LastGoodAnswersKept;

    /// <summary>Feed reads that failed (injected disconnects); the previous data kept serving.</summary>
    public int FeedFailures { get; private set; }

    public IReadOnlyList<IPAddress>? Resolve(string endpoint)
    {
        CatchUp();
        if (!_queries.TryGetValue(endpoint, out var query))
        {
            query = DnsQueryBuilder.Build(1, endpoint, DnsType.A);
            _queries[endpoint] = query;
        }

        // Over TCP so that no answer is truncated: the observer wants every address a client would get.
        var length = _engine.Answer(query, _response, overUdp: false);
        _addresses.Clear();
        if (!DnsResponseReader.TryReadAnswerAddresses(_response.AsSpan(0, length), _addresses, out var rcode))
        {
            throw new InvalidOperationException($"the query engine wrote an unreadable response for {endpoint}");
        }

        // NXDOMAIN or REFUSED: the name is not served at all (yet); NOERROR with no address is an empty answer.
        return rcode == DnsRcode.NoError ? [.. _addresses] : null;
    }

    private void CatchUp()
    {
        var task = _feed.CatchUpAsync();

        // The simulated stores complete synchronously; anything else is a harness bug.
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("the simulated store must complete synchronously");
        }

        if (task.IsFaulted)
        {
            FeedFailures++;
        }
    }
}
