using System.Collections.Immutable;
using System.Net;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Update;
using Holdfast.Dns.Wire;

namespace Holdfast.Push;

/// <summary>
/// Talks to one push target: reads an endpoint's A, AAAA and marker RRsets with three queries (UDP, TCP when truncated)
/// and sends TSIG-signed UPDATEs over TCP (RFC 2136 §3.8 allows either; TCP carries any size and makes a lost answer a
/// broken connection rather than a silent retransmission), checking the answer's TSIG (RFC 8945 §5.3). Every exchange
/// has <see cref="PushOptions.Timeout"/> on the injected clock. Thread-safe.
/// </summary>
public sealed class PushClient(PushTarget target, IDnsExchange exchange, PushOptions options, TimeProvider time, Random random)
{
    private readonly Lock _randomLock = new();

    public PushTarget Target { get; } = target;

    /// <summary>A fresh message ID (RFC 5452 §4: unpredictable, from the injected seeded source).</summary>
    public ushort NextId()
    {
        lock (_randomLock)
        {
            return (ushort)random.Next(0, 65536);
        }
    }

    /// <summary>What the server answers for <paramref name="endpoint"/>. Throws on timeout, unreachable server or an answer other than NOERROR/NXDOMAIN.</summary>
    public async Task<ServerView> ReadAsync(string endpoint, CancellationToken cancellationToken)
    {
        var marker = QueryAsync(GenerationMarker.OwnerOf(endpoint), DnsType.Txt, cancellationToken);
        var a = QueryAsync(endpoint, DnsType.A, cancellationToken);
        var aaaa = QueryAsync(endpoint, DnsType.Aaaa, cancellationToken);
        var markers = await marker;
        var records = (await a).Concat(await aaaa)
            .Select(r => (Address: new IPAddress(r.Data), r.Ttl))
            .OrderBy(r => r.Address, AddressComparer.Instance)
            .ToImmutableArray();
        if (markers.Length == 0)
        {
            return new ServerView(null, false, "", records);
        }

        var text = string.Join(" ", markers.Select(m => GenerationMarker.Describe(m.Data)));
        return markers.Length == 1 && GenerationMarker.TryParse(markers[0].Data, out var generation)
            ? new ServerView(generation, false, text, records)
            : new ServerView(null, true, text, records);
    }

    /// <summary>Sends the UPDATE signed with the target's key; returns the server's RCODE once its TSIG verified.</summary>
    public async Task<int> UpdateAsync(UpdateMessage update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var request = UpdateMessageWriter.Write(update, Target.Key, time.GetUtcNow(), out var requestMac);
        var answer = await ExchangeAsync(request, overTcp: true, cancellationToken);
        if (!UpdateMessageReader.TryRead(answer, out var response) || !response!.IsResponse || response.Id != update.Id)
        {
            throw new PushFailureException($"{Target.Name}: the answer to an UPDATE is not a well-formed UPDATE response");
        }

        if (response.Tsig is not { } tsig)
        {
            throw new PushFailureException($"{Target.Name}: the answer to a signed UPDATE is unsigned (RCODE {response.Rcode})");
        }

        if (tsig.Error != 0)
        {
            throw new PushFailureException($"{Target.Name}: the server refused the TSIG key {Target.Key.NameText} with TSIG error {tsig.Error} (16 BADSIG, 17 BADKEY, 18 BADTIME)");
        }

        var verdict = Tsig.VerifyResponse(answer, tsig, Target.Key, requestMac, time.GetUtcNow());
        return verdict == 0 ? response.Rcode : throw new PushFailureException($"{Target.Name}: the answer's TSIG does not verify (error {verdict})");
    }

    private async Task<ImmutableArray<ResourceRecord>> QueryAsync(string name, ushort type, CancellationToken cancellationToken)
    {
        var query = DnsQueryBuilder.Build(NextId(), name, type);
        var answer = await ExchangeAsync(query, overTcp: false, cancellationToken);
        if (!DnsResponseReader.TryReadAnswerRecords(answer, out var rcode, out var truncated, out var records))
        {
            throw new PushFailureException($"{Target.Name}: malformed answer to {name} {type}");
        }

        if (truncated)
        {
            answer = await ExchangeAsync(query, overTcp: true, cancellationToken);
            if (!DnsResponseReader.TryReadAnswerRecords(answer, out rcode, out _, out records))
            {
                throw new PushFailureException($"{Target.Name}: malformed answer over TCP to {name} {type}");
            }
        }

        if (rcode is not (DnsRcode.NoError or DnsRcode.NxDomain))
        {
            throw new PushFailureException($"{Target.Name}: {name} type {type} answered with RCODE {rcode}");
        }

        // Only the owner's own records of the asked type: a CNAME chain or anything else is not the endpoint's RRset.
        var owner = Holdfast.Dns.Names.WireName.FromText(name);
        return [.. records.Where(r => r.Type == type && r.Owner.AsSpan().SequenceEqual(owner) && (type != DnsType.A || r.Data.Length == 4) && (type != DnsType.Aaaa || r.Data.Length == 16))];
    }

    private async Task<byte[]> ExchangeAsync(byte[] message, bool overTcp, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await exchange.ExchangeAsync(Target.Server, message, overTcp, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Target.Name} ({Target.Server}) did not answer within {options.Timeout.TotalSeconds:0.###} s");
        }
    }
}
