using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Serving;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Simulation.World;

/// <summary>
/// What a client would resolve, asked of the real <see cref="QueryEngine"/> in process: the zone data is
/// built from the store's applied state exactly as the host builds it (<see cref="AppliedZoneBuilder"/>),
/// rebuilt whenever the applied revision moves, and each resolution is a real query message answered and
/// read back. The fenced world serves with the last-good-answer rule, as Holdfast does; the legacy world
/// serves the applied records as they are, as the 2025 system did, so its empty answers reach clients.
/// </summary>
public sealed class DnsAnswerSource : IAnswerSource
{
    private readonly IControlStore _store;
    private readonly Func<IReadOnlyList<EndpointSpec>> _specs;
    private readonly EndpointTable? _lastGood;
    private readonly QueryEngine _engine = new();
    private readonly Dictionary<string, byte[]> _queries = new(StringComparer.Ordinal);
    private readonly byte[] _response = new byte[DnsConstants.TcpLimit];
    private readonly List<IPAddress> _addresses = [];
    private long _builtRevision = -1;
    private IReadOnlyList<EndpointSpec>? _builtSpecs;

    public DnsAnswerSource(IControlStore store, Func<IReadOnlyList<EndpointSpec>> specs, bool lastGoodAnswerRule)
    {
        _store = store;
        _specs = specs;
        _lastGood = lastGoodAnswerRule ? new EndpointTable() : null;
    }

    /// <summary>How many times the zone data was rebuilt (a measure of the observer's cost).</summary>
    public int Rebuilds { get; private set; }

    /// <summary>How many empty updates the last-good-answer rule refused (0 in the legacy world).</summary>
    public long LastGoodAnswersKept => _lastGood?.KeptCount ?? 0;

    public IReadOnlyList<IPAddress>? Resolve(string endpoint)
    {
        RefreshIfChanged();
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

    private void RefreshIfChanged()
    {
        var specs = _specs();
        var revision = Completed(_store.GetRevisionAsync());
        if (revision == _builtRevision && ReferenceEquals(specs, _builtSpecs))
        {
            return;
        }

        var zones = specs.Select(s => s.Zone).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(apex => new ZoneSpec(apex, new SoaValues("ns1." + apex, "hostmaster." + apex), ["ns1." + apex]))
            .ToList();
        var applied = Completed(_store.ListAppliedAsync());
        _engine.Update(AppliedZoneBuilder.Build(zones, specs, applied, revision, _lastGood));
        _builtRevision = revision;
        _builtSpecs = specs;
        Rebuilds++;
    }

    private static T Completed<T>(Task<T> task) =>
        // The simulated stores complete synchronously; anything else is a harness bug.
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("the simulated store must complete synchronously");
}
