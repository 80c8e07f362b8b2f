using System.Buffers.Binary;
using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// Answers zone transfers (AXFR, RFC 5936; IXFR, RFC 1995), incoming NOTIFY (RFC 1996) and TSIG-signed queries
/// (RFC 8945) for every zone of a <see cref="QueryEngine"/>. The <see cref="Transport.DnsServer"/> hands it the
/// requests <see cref="Handles"/> accepts; everything else stays on the query engine's allocation-free path.
/// It keeps the IXFR <see cref="Journal"/> in step by watching <see cref="QueryEngine.Updated"/>. Thread-safe.
/// </summary>
/// <remarks>
/// <code>
/// request                                       answer
/// AXFR or IXFR over UDP, AXFR                   NOTIMP, as Knot (RFC 5936 §4.2: AXFR over UDP is not defined)
/// IXFR over UDP                                 the whole IXFR answer if it fits one datagram, else the
///                                               current SOA alone (RFC 1995 §2)
/// name not the apex of a zone we serve          NOTAUTH (RFC 5936 §2.2.1; Knot and BIND do the same)
/// class not IN                                  REFUSED
/// client outside AllowTransfer                  REFUSED (BIND's answer; Knot says NOTAUTH)
/// RequireTsig and no valid signature            REFUSED
/// bad TSIG                                      NOTAUTH with BADKEY/BADSIG (unsigned) or BADTIME/BADTRUNC
///                                               (signed), RFC 8945 §5.2
/// AXFR over TCP                                 SOA, every record, SOA, in as many messages as needed
/// IXFR, client serial current or newer          the current SOA alone (as Knot)
/// IXFR, client serial in the journal            SOA new, then per step: SOA old, deletions, SOA new,
///                                               additions, then SOA new (RFC 1995 §4)
/// IXFR, client serial unknown or too old        the whole zone, AXFR-style (RFC 1995 §4)
/// NOTIFY                                        REFUSED: we are the primary and have nothing to refresh
///                                               (Knot says NOTAUTH; NOTIMP would wrongly say we lack NOTIFY)
/// a TSIG-signed ordinary query                  the query engine's answer, signed
/// </code>
/// Messages: each at most <see cref="ZoneTransferOptions.MaxMessageSize"/> octets, compressed within itself;
/// the question only in the first (RFC 5936 §2.2.1 allows either); an OPT in each when the request had one;
/// with TSIG, every message signed (RFC 8945 §5.3.1 requires at least every hundredth).
/// </remarks>
public sealed class ZoneTransferHandler : IDisposable
{
    private const ushort FlagQr = 0x8000;
    private const ushort FlagAa = 0x0400;
    private const int OptLength = 11;
    private readonly QueryEngine _engine;
    private readonly ZoneTransferOptions _options;
    private readonly TimeProvider _time;

    /// <param name="journal">
    /// The IXFR history to answer from and keep in step, e.g. a <see cref="ZoneJournal.Persistent"/> one; its creator
    /// disposes it after this handler. Default: a journal in memory with the options' bounds.
    /// </param>
    public ZoneTransferHandler(QueryEngine engine, ZoneTransferOptions options, TimeProvider time, ZoneJournal? journal = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _engine = engine;
        _options = options;
        _time = time;
        Journal = journal ?? new ZoneJournal(options.JournalDepth, options.JournalMaxRecords, options.JournalMaxBytes);

        // Subscribe first, then take the current zones: an update in between is seen by one or both, never neither.
        _engine.Updated += Journal.Observe;
        Journal.Observe(_engine.Zones);
    }

    public ZoneJournal Journal { get; }

    public ZoneTransferCounters Counters { get; } = new();

    /// <summary>Raised after the last message of a transfer was handed out (so, for TCP, after it was sent).</summary>
    public event Action<TransferLogEntry>? Served;

    /// <summary>True when this handler answers <paramref name="packet"/> (AXFR, IXFR, NOTIFY, or signed when keys are configured). Allocation-free.</summary>
    public bool Handles(ReadOnlySpan<byte> packet) => TransferRequestReader.IsForTransferHandler(packet, _options.TsigKeys.Count > 0);

    /// <summary>
    /// The response messages to <paramref name="packet"/>, produced lazily. Each item is valid until the next one
    /// is asked for (they share one buffer): send it, then move on.
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> Respond(ReadOnlyMemory<byte> packet, IPAddress client, bool overUdp)
    {
        ArgumentNullException.ThrowIfNull(client);
        var status = TransferRequestReader.TryRead(packet.Span, out var request);
        if (status == QueryReadStatus.Drop || request is null)
        {
            yield break;
        }

        var signer = new Signer();
        var writer = new TransferMessageWriter(overUdp ? UdpLimit(request) : _options.MaxMessageSize);
        if (status == QueryReadStatus.FormErr)
        {
            yield return Single(writer, request, packet.Span, DnsRcode.FormErr, signer);
            yield break;
        }

        if (request.Tsig is { } tsig)
        {
            var error = Tsig.Verify(packet.Span, tsig, _options.TsigKeys, _time.GetUtcNow(), out var key);
            if (error != 0)
            {
                Counters.CountTsigFailure();
                signer.Key = error is Tsig.BadTime or Tsig.BadTrunc ? key : null;
                signer.PriorMac = tsig.Mac;
                yield return TsigError(writer, request, packet.Span, error, signer);
                yield break;
            }

            signer.Key = key;
            signer.PriorMac = tsig.Mac;
        }

        if (request.IsNotify)
        {
            Counters.CountNotifyRefused();
            yield return Single(writer, request, packet.Span, DnsRcode.Refused, signer);
            yield break;
        }

        if (!request.IsTransfer)
        {
            var answer = EngineAnswer(packet, request, overUdp, signer);
            if (!answer.IsEmpty)
            {
                yield return answer;
            }

            yield break;
        }

        if (overUdp && request.QuestionType == DnsType.Axfr)
        {
            yield return Single(writer, request, packet.Span, DnsRcode.NotImp, signer);
            yield break;
        }

        var zone = _engine.Zones.FindZoneFor(request.QuestionName);
        var refusal = zone is null || !zone.Apex.AsSpan().SequenceEqual(request.QuestionName) ? Tsig.NotAuth
            : request.QuestionClass != DnsConstants.ClassIn || !_options.IsAllowed(zone.ApexText, client) || (_options.RequireTsig && signer.Key is null) ? DnsRcode.Refused
            : DnsRcode.NoError;
        if (refusal != DnsRcode.NoError)
        {
            Counters.CountRefused();
            yield return Single(writer, request, packet.Span, refusal, signer);
            yield break;
        }

        var (kind, records, newest) = Plan(request, zone!);
        if (overUdp)
        {
            var fits = TryPack(writer, request, packet.Span, records, signer);
            if (!fits)
            {
                kind = TransferKind.IxfrUdpSoaOnly;
                records = [ZoneContent.Soa(newest)];
                TryPack(writer, request, packet.Span, records, signer);
            }

            yield return writer.Buffer.AsMemory(0, writer.Length);
            Log(request, zone!, kind, client, newest.Serial, 1, records.Count, signer);
            yield break;
        }

        var messages = 0;
        var question = packet.Span[DnsConstants.HeaderLength..request.QuestionEnd].ToArray();
        writer.Begin(request.Id, Flags(request), question, Reserve(request, signer));
        foreach (var record in records)
        {
            if (writer.TryAdd(record))
            {
                continue;
            }

            if (writer.Answers == 0)
            {
                // One record larger than a whole message: nothing correct can be sent.
                throw new InvalidOperationException($"{record} does not fit in a {_options.MaxMessageSize}-octet message");
            }

            messages++;
            yield return Seal(writer, request, signer);
            writer.Begin(request.Id, Flags(request), [], Reserve(request, signer));
            if (!writer.TryAdd(record))
            {
                throw new InvalidOperationException($"{record} does not fit in a {_options.MaxMessageSize}-octet message");
            }
        }

        messages++;
        yield return Seal(writer, request, signer);
        Log(request, zone!, kind, client, newest.Serial, messages, records.Count, signer);
    }

    public void Dispose() => _engine.Updated -= Journal.Observe;

    /// <summary>Decides between AXFR, incremental IXFR, full IXFR and an up-to-date SOA, and lists the records to send.</summary>
    private (TransferKind Kind, List<TransferRecord> Records, ZoneSnapshot Newest) Plan(TransferRequest request, ZoneSnapshot zone)
    {
        var soa = ZoneContent.Soa(zone);
        if (request.QuestionType == DnsType.Ixfr)
        {
            var client = request.ClientSerial!.Value;
            var order = SerialNumber.Compare(client, zone.Serial);
            if (order is 0 or 1)
            {
                return (TransferKind.IxfrUpToDate, [soa], zone);
            }

            // The journal is updated right after the engine's swap, so a request can see the new zone first:
            // catch up here. Only a history that ends exactly at the zone being served is used (a concurrent
            // newer publish may have moved it on); otherwise the whole zone goes.
            Journal.CatchUp(zone);
            if (order == -1 && Journal.TryGetChanges(zone.Apex, client, out var steps, out var newest) && newest!.Serial == zone.Serial)
            {
                var incremental = new List<TransferRecord> { soa };
                foreach (var step in steps)
                {
                    incremental.Add(step.From);
                    incremental.AddRange(step.Deleted);
                    incremental.Add(step.To);
                    incremental.AddRange(step.Added);
                }

                incremental.Add(soa);
                return (TransferKind.IxfrIncremental, incremental, zone);
            }
        }

        var full = new List<TransferRecord> { soa };
        full.AddRange(ZoneContent.Records(zone));
        full.Add(soa);
        return (request.QuestionType == DnsType.Ixfr ? TransferKind.IxfrFull : TransferKind.Axfr, full, zone);
    }

    private bool TryPack(TransferMessageWriter writer, TransferRequest request, ReadOnlySpan<byte> packet, List<TransferRecord> records, Signer signer)
    {
        writer.Begin(request.Id, Flags(request), packet[DnsConstants.HeaderLength..request.QuestionEnd], Reserve(request, signer));
        foreach (var record in records)
        {
            if (!writer.TryAdd(record))
            {
                return false;
            }
        }

        Seal(writer, request, signer);
        return true;
    }

    private ReadOnlyMemory<byte> Single(TransferMessageWriter writer, TransferRequest request, ReadOnlySpan<byte> packet, int rcode, Signer signer)
    {
        var flags = (ushort)(FlagQr | (request.Flags & 0x7900));
        writer.Begin(request.Id, flags, request.QuestionName.Length == 0 ? [] : packet[DnsConstants.HeaderLength..request.QuestionEnd], Reserve(request, signer));
        writer.SetRcode(rcode);
        return Seal(writer, request, signer);
    }

    private ReadOnlyMemory<byte> TsigError(TransferMessageWriter writer, TransferRequest request, ReadOnlySpan<byte> packet, ushort error, Signer signer)
    {
        var flags = (ushort)(FlagQr | (request.Flags & 0x7900));
        writer.Begin(request.Id, flags, packet[DnsConstants.HeaderLength..request.QuestionEnd], Reserve(request, signer) + Tsig.RecordLength(request.Tsig!.KeyName.Length));
        writer.SetRcode(Tsig.NotAuth);
        if (request.HasOpt)
        {
            writer.AppendOpt();
        }

        if (signer.Key is null)
        {
            // RFC 8945 §5.2.1 and §5.2.2: BADKEY and BADSIG answers carry a TSIG with an empty MAC, unsigned.
            writer.Extend(Tsig.AppendUnsigned(writer.Buffer, writer.Length, request.Tsig, error));
            return writer.Buffer.AsMemory(0, writer.Length);
        }

        // RFC 8945 §5.2.3: BADTIME is signed, keeps the request's Time Signed, and carries our clock in Other Data.
        Span<byte> now = stackalloc byte[6];
        Tsig.WriteUInt48(now, (ulong)_time.GetUtcNow().ToUnixTimeSeconds());
        var otherData = error == Tsig.BadTime ? now : [];
        writer.Extend(Tsig.Sign(writer.Buffer, writer.Length, signer.Key, signer.PriorMac, timersOnly: false, request.Tsig.TimeSigned, (ushort)_options.TsigFudgeSeconds, error, otherData, out _));
        return writer.Buffer.AsMemory(0, writer.Length);
    }

    /// <summary>
    /// Anything else (in practice, an ordinary query that came signed): the engine answers it without the TSIG,
    /// then the answer is signed with the request's key. Empty when the engine drops the packet.
    /// </summary>
    private ReadOnlyMemory<byte> EngineAnswer(ReadOnlyMemory<byte> packet, TransferRequest request, bool overUdp, Signer signer)
    {
        var unsigned = packet.Span[..(request.Tsig?.Start ?? packet.Length)].ToArray();
        if (request.Tsig is not null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(unsigned.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(unsigned.AsSpan(10)) - 1));
        }

        var limit = overUdp ? UdpLimit(request) : _options.MaxMessageSize;
        var response = new byte[limit];
        var room = signer.Key is null ? 0 : Tsig.RecordLength(signer.Key);
        var length = _engine.Answer(unsigned, response.AsSpan(0, limit - room), overUdp);
        if (length > 0 && signer.Key is not null)
        {
            length = Tsig.Sign(response, length, signer.Key, signer.PriorMac, timersOnly: false, (ulong)_time.GetUtcNow().ToUnixTimeSeconds(), (ushort)_options.TsigFudgeSeconds, 0, [], out _);
        }

        return response.AsMemory(0, length);
    }

    private ReadOnlyMemory<byte> Seal(TransferMessageWriter writer, TransferRequest request, Signer signer)
    {
        if (request.HasOpt)
        {
            writer.AppendOpt();
        }

        if (signer.Key is { } key)
        {
            // The first message's MAC covers the request MAC and all TSIG variables; later ones only the timers (RFC 8945 §5.3.1).
            writer.Extend(Tsig.Sign(writer.Buffer, writer.Length, key, signer.PriorMac, timersOnly: signer.Signed > 0, (ulong)_time.GetUtcNow().ToUnixTimeSeconds(), (ushort)_options.TsigFudgeSeconds, 0, [], out var mac));
            signer.PriorMac = mac;
            signer.Signed++;
        }

        return writer.Buffer.AsMemory(0, writer.Length);
    }

    private void Log(TransferRequest request, ZoneSnapshot zone, TransferKind kind, IPAddress client, uint serial, int messages, int records, Signer signer)
    {
        Counters.Count(kind);
        Served?.Invoke(new TransferLogEntry(zone.ApexText, kind, client, request.QuestionType == DnsType.Ixfr ? request.ClientSerial : null, serial, messages, records, signer.Key?.NameText));
    }

    private static ushort Flags(TransferRequest request) => (ushort)(FlagQr | FlagAa | (request.Flags & 0x7900));

    private static int Reserve(TransferRequest request, Signer signer) =>
        (request.HasOpt ? OptLength : 0) + (signer.Key is null ? 0 : Tsig.RecordLength(signer.Key));

    private static int UdpLimit(TransferRequest request) =>
        request.HasOpt ? Math.Clamp((int)request.UdpPayloadSize, DnsConstants.ClassicUdpLimit, DnsConstants.DefaultEdnsUdpLimit) : DnsConstants.ClassicUdpLimit;

    /// <summary>The TSIG state of one response stream: the key, the MAC to chain from, and how many messages were signed.</summary>
    private sealed class Signer
    {
        public TsigKey? Key { get; set; }

        public byte[] PriorMac { get; set; } = [];

        public int Signed { get; set; }
    }
}
