using System.Buffers.Binary;
using Holdfast.Dns.Names;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Query;

/// <summary>
/// The authoritative query engine: a query span in, a response span out, no allocation per query. Usable in
/// process without sockets (the simulator does). Thread-safe: the zone data is an immutable
/// <see cref="ZoneSet"/> swapped whole by <see cref="Update"/>.
/// </summary>
/// <remarks>
/// <code>
/// situation                                  response
/// name outside every zone, or class not IN   REFUSED, AA=0 (RFC 1035 §4.1.1; no recursion offered)
/// name has data of the type                  NOERROR, AA, the RRset
/// name is an endpoint, type A/AAAA           NOERROR, AA, weighted and rotated subset (EndpointRecords)
/// name has a CNAME                           the CNAME, then its target's answer while it stays in the zone
///                                            (RFC 1034 §4.3.2); a target outside is left to the resolver
/// name exists, type absent; empty non-term.  NOERROR/NODATA, SOA in authority (RFC 2308 §2.2, RFC 8020)
/// name does not exist                        NXDOMAIN, SOA in authority with TTL min(SOA TTL, MINIMUM)
/// QTYPE ANY                                  one RRset of the name (RFC 8482 §4.1), the address set first
/// AXFR/IXFR                                  REFUSED here; a DnsServer with a ZoneTransferHandler serves them
/// EDNS version above 0                       BADVERS, question only (RFC 6891 §6.1.3)
/// malformed query (DnsQueryReader)           FORMERR, question echoed when readable, OPT when the query had one
///                                            (RFC 6891 §7)
/// TSIG-signed (no keys here)                 NOTAUTH with an unsigned BADKEY TSIG (RFC 8945 §5.2.1)
/// QTYPE 0                                    NOTIMP (RFC 6895 §3.1: reserved)
/// answer does not fit                        TC=1, question only; the client retries over TCP (RFC 7766)
/// no data, covered by a wildcard             the wildcard's data, owned by the name (RFC 4592 §3.3.1), or
///                                            NODATA when the type is absent; a wildcard CNAME is followed
/// at or below a zone cut (NS below apex)     referral: AA=0, the cut's NS in authority, addresses of
///                                            in-zone name servers in additional (RFC 1034 §4.3.2 step 3b)
/// DS at a zone cut                           the parent's side: DS if held, else NODATA with SOA (RFC 4035 §3.1.4.1),
///                                            also when the child zone is served here too
/// CNAME into a delegation                    the chain only; the resolver follows it
/// </code>
/// </remarks>
public sealed partial class QueryEngine
{
    private const int MaxCnameChain = 8;
    private const ushort ClassChaos = 3;
    private const int OptLength = 11;
    private const int MaxOptionsLength = (4 + EdnsFeatures.MaxNsidLength) + (4 + 24) + (4 + 2);
    private const ushort FlagQr = 0x8000;
    private const ushort FlagAa = 0x0400;
    private const ushort FlagTc = 0x0200;
    private const ushort FlagRd = 0x0100;
    private ZoneSet _zones;

    private readonly EdnsFeatures _features;

    /// <param name="features">NSID, cookies and keepalive answered; null answers none of them.</param>
    public QueryEngine(ZoneSet? zones = null, EdnsFeatures? features = null)
    {
        _zones = zones ?? ZoneSet.Empty;
        _features = features ?? new EdnsFeatures();
        _features.Validate();
    }

    /// <summary>The zones answered now.</summary>
    public ZoneSet Zones => Volatile.Read(ref _zones);

    /// <summary>
    /// Raised on the publishing thread after every <see cref="Update"/>, with the new zones (the transfer journal
    /// and the NOTIFY sender watch it). Handlers must be quick and must not throw.
    /// </summary>
    public event Action<ZoneSet>? Updated;

    /// <summary>Publishes new zone data; queries already running finish on the old data.</summary>
    public void Update(ZoneSet zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        Volatile.Write(ref _zones, zones);
        Updated?.Invoke(zones);
    }

    /// <summary>
    /// Answers <paramref name="query"/> into <paramref name="response"/>.
    /// </summary>
    /// <param name="overUdp">UDP answers are limited to 512 octets, or the EDNS size (at most 1232, RFC 6891 §6.2.5).</param>
    /// <returns>The response length, or 0 when the packet must be dropped.</returns>
    public int Answer(ReadOnlySpan<byte> query, Span<byte> response, bool overUdp) => Answer(query, response, overUdp, default, out _);

    /// <inheritdoc cref="Answer(ReadOnlySpan{byte}, Span{byte}, bool)"/>
    /// <param name="clientAddress">The client's address octets (4 or 16), which RFC 9018 §4.4 puts into the server cookie; empty when unknown.</param>
    /// <param name="outcome">The zone, type and RCODE decided, for metrics (read from nothing but the engine's own decisions),
    /// and whether the query carried a valid server cookie, for the rate limiter.</param>
    public int Answer(ReadOnlySpan<byte> query, Span<byte> response, bool overUdp, ReadOnlySpan<byte> clientAddress, out QueryOutcome outcome)
    {
        var length = Answer(query, response, overUdp, clientAddress, out var zone, out ushort type, out var validServerCookie);
        outcome = new QueryOutcome(zone, type, length >= 4 ? response[3] & 0xF : 0, validServerCookie);
        return length;
    }

    private int Answer(ReadOnlySpan<byte> query, Span<byte> response, bool overUdp, ReadOnlySpan<byte> clientAddress, out ZoneSnapshot? answeredFrom, out ushort type, out bool validServerCookie)
    {
        answeredFrom = null;
        validServerCookie = false;
        var status = DnsQueryReader.TryRead(query, out var q);
        type = q.QuestionType;
        Span<byte> optionBuffer = stackalloc byte[MaxOptionsLength];
        var options = status == QueryReadStatus.FormErr || !q.HasOpt ? default : WriteOptions(query, q, overUdp, clientAddress, optionBuffer, out validServerCookie);
        if (status == QueryReadStatus.Drop || response.Length < DnsConstants.HeaderLength)
        {
            return 0;
        }

        var limit = !overUdp ? DnsConstants.TcpLimit
            : q.HasOpt ? Math.Clamp((int)q.UdpPayloadSize, DnsConstants.ClassicUdpLimit, DnsConstants.DefaultEdnsUdpLimit)
            : DnsConstants.ClassicUdpLimit;
        var writer = new DnsResponseWriter(response[..Math.Min(limit, response.Length)]);
        var flags = (ushort)(FlagQr | (q.Flags & 0x7800) | (q.Flags & FlagRd));
        writer.TryWriteHeader(q.Id, flags);
        var optRoom = q.HasOpt ? OptLength + options.Length : 0;
        writer.Limit -= optRoom;
        if (q.QuestionNameLength == 0)
        {
            // No readable question: FORMERR, or NOTIMP for an unknown opcode, with an empty question section.
            return Finish(ref writer, q, options, flags, status == QueryReadStatus.NotImp ? DnsRcode.NotImp : DnsRcode.FormErr);
        }

        if (!writer.TryWriteBytes(query[DnsConstants.HeaderLength..q.QuestionEnd]))
        {
            return 0;
        }

        writer.SetCount(0, 1);
        if (status == QueryReadStatus.FormErr)
        {
            // RFC 6891 §7: a FORMERR to a query with an OPT carries an OPT too (Finish adds it).
            return Finish(ref writer, q, options, flags, DnsRcode.FormErr);
        }

        // The order of the checks below is Knot's: EDNS version, opcode, class, QTYPE 0, cookie form, TSIG key.
        if (q.HasOpt && q.EdnsVersion > 0)
        {
            return Finish(ref writer, q, options, flags, DnsRcode.BadVers);
        }

        if (status == QueryReadStatus.NotImp)
        {
            return Finish(ref writer, q, options, flags, DnsRcode.NotImp);
        }

        if (q.QuestionClass is not (DnsConstants.ClassIn or ClassChaos or DnsType.Any))
        {
            // A class no server here answers (NONE is for UPDATE, RFC 2136 §2.3): refused before the type is looked
            // at, as Knot does. CHAOS goes on to the type checks and is refused at the zone lookup.
            return Finish(ref writer, q, options, flags, DnsRcode.Refused);
        }

        if (q.QuestionType == 0)
        {
            // RFC 6895 §3.1: TYPE 0 is reserved and names no data anyone could hold; NOTIMP, as Knot answers.
            return Finish(ref writer, q, options, flags, DnsRcode.NotImp);
        }

        if (q.CookieMalformed)
        {
            return Finish(ref writer, q, options, flags, DnsRcode.FormErr);
        }

        if (q.TsigOffset > 0)
        {
            // RFC 8945 §5.2.1: the engine holds no keys, so every key is unknown: NOTAUTH with an unsigned BADKEY TSIG.
            var length = Finish(ref writer, q, options, flags, Tsig.NotAuth);
            return AppendBadKey(query, response[..Math.Min(limit, response.Length)], length, q);
        }

        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        query.Slice(DnsConstants.HeaderLength, q.QuestionNameLength).CopyTo(name);
        name = name[..q.QuestionNameLength];
        WireName.ToLower(name);
        var zone = Zones.FindZoneFor(name);
        if (q.QuestionType == DnsType.Ds && zone is not null && name.Length > 1 && name.SequenceEqual(zone.Apex)
            && Zones.FindZoneFor(name[WireName.NextLabel(name, 0)..]) is { } parent)
        {
            // RFC 4035 §3.1.4.1: DS lives on the parent side of a cut; when both sides are served here, the
            // parent answers it.
            zone = parent;
        }

        answeredFrom = zone;
        if (zone is null || (q.QuestionClass != DnsConstants.ClassIn && q.QuestionClass != DnsType.Any) || q.QuestionType is DnsType.Axfr or DnsType.Ixfr)
        {
            return Finish(ref writer, q, options, flags, DnsRcode.Refused);
        }

        flags |= FlagAa;
        var rcode = Resolve(ref writer, zone, name, q.QuestionType, out var truncated, out var referral);
        if (referral)
        {
            // RFC 1034 §4.3.2 step 3b: a referral is not authoritative.
            flags &= unchecked((ushort)~FlagAa);
        }

        if (truncated)
        {
            writer.Position = q.QuestionEnd;
            writer.SetCount(1, 0);
            writer.SetCount(2, 0);
            writer.SetCount(3, 0);
            flags |= FlagTc;
            rcode = DnsRcode.NoError;
        }

        return Finish(ref writer, q, options, flags, rcode);
    }

    private static int Resolve(ref DnsResponseWriter writer, ZoneSnapshot zone, scoped ReadOnlySpan<byte> questionName, ushort type, out bool truncated, out bool referral)
    {
        truncated = false;
        referral = false;
        ushort answers = 0;
        Span<byte> current = stackalloc byte[DnsConstants.MaxNameLength];
        questionName.CopyTo(current);
        var currentLength = questionName.Length;
        for (var hop = 0; hop <= MaxCnameChain; hop++)
        {
            ReadOnlySpan<byte> name = current[..currentLength];

            // The question's owner is written as a pointer to it (offset 12); names reached through a CNAME are written in full.
            var pointer = hop == 0 ? DnsConstants.HeaderLength : -1;

            // RFC 1034 §4.3.2 step 3b: a name at or below a zone cut is the child's; refer (RFC 4035 §3.1.4.1:
            // DS at the cut itself is the parent's data, answered here).
            var cut = zone.FindCut(name);
            if (cut >= 0 && !(cut == 0 && type == DnsType.Ds))
            {
                if (hop > 0)
                {
                    // A CNAME led into a delegation: answer the chain and let the resolver follow it, as for a
                    // target outside the zone.
                    return DnsRcode.NoError;
                }

                referral = true;
                return Refer(ref writer, zone, name, cut, ref truncated);
            }

            var endpoint = zone.FindEndpoint(name);
            var node = endpoint is null ? zone.FindNode(name) : null;
            if (endpoint is null && node is null)
            {
                // RFC 8020: an empty non-terminal exists (NODATA) and is never covered by a wildcard (RFC 4592 §2.2.2).
                var emptyNonTerminal = zone.IsEmptyNonTerminal(name);
                if (emptyNonTerminal || !TryFindWildcard(zone, name, out endpoint, out node))
                {
                    return Negative(ref writer, zone, questionName, answers, emptyNonTerminal ? DnsRcode.NoError : DnsRcode.NxDomain, ref truncated);
                }
            }

            if (endpoint is not null)
            {
                var addressType = type == DnsType.Any ? (endpoint.Has(DnsType.A) ? DnsType.A : DnsType.Aaaa) : type;
                if (addressType is DnsType.A or DnsType.Aaaa && endpoint.Has(addressType))
                {
                    var written = endpoint.WriteAnswers(ref writer, addressType, pointer, name);
                    if (written < 0)
                    {
                        truncated = true;
                        return DnsRcode.NoError;
                    }

                    writer.SetCount(1, (ushort)(answers + written));
                    return DnsRcode.NoError;
                }

                // Other types at an endpoint's name are static records (looked up only now: the address path
                // above is the hot one).
                node ??= zone.FindNode(name);
                if (node is null)
                {
                    return Negative(ref writer, zone, questionName, answers, DnsRcode.NoError, ref truncated);
                }
            }

            // RFC 1034 §3.7.1: QTYPE ANY matches the CNAME itself, so ANY is answered with it and not followed.
            if (type != DnsType.Cname && type != DnsType.Any && node!.TryGetValue(DnsType.Cname, out var cname))
            {
                if (!writer.TryWriteRecord(pointer, name, DnsType.Cname, DnsConstants.ClassIn, cname.Ttl, cname.Rdata[0]))
                {
                    truncated = true;
                    return DnsRcode.NoError;
                }

                writer.SetCount(1, ++answers);
                var target = cname.Rdata[0];
                if (!WireName.IsAtOrBelow(target, zone.Apex))
                {
                    return DnsRcode.NoError;
                }

                target.CopyTo(current);
                currentLength = target.Length;
                continue;
            }

            Rrset? set;
            if (type == DnsType.Any)
            {
                // RFC 8482 §4.1: answer with one RRset of the name rather than all of them.
                set = node!.TryGetValue(DnsType.Soa, out var soa) ? soa : node.Values.OrderBy(s => s.Type).FirstOrDefault();
            }
            else
            {
                set = node!.GetValueOrDefault(type);
            }

            if (set is null)
            {
                return Negative(ref writer, zone, questionName, answers, DnsRcode.NoError, ref truncated);
            }

            if (!TryWriteSet(ref writer, pointer, name, set, 1))
            {
                truncated = true;
                return DnsRcode.NoError;
            }

            return DnsRcode.NoError;
        }

        // A chain longer than MaxCnameChain inside one zone: answer what was written, as BIND and Knot do.
        return DnsRcode.NoError;
    }

    /// <summary>Writes every record of <paramref name="set"/> into <paramref name="section"/> and raises its count.</summary>
    private static bool TryWriteSet(ref DnsResponseWriter writer, int ownerPointer, scoped ReadOnlySpan<byte> owner, Rrset set, int section)
    {
        var count = writer.GetCount(section);
        foreach (var rdata in set.Rdata)
        {
            if (!writer.TryWriteRecord(ownerPointer, owner, set.Type, DnsConstants.ClassIn, set.Ttl, rdata))
            {
                return false;
            }

            writer.SetCount(section, ++count);
        }

        return true;
    }

    /// <summary>RFC 2308 §3: NXDOMAIN or NODATA carry the zone's SOA in authority, with the negative TTL.</summary>
    private static int Negative(ref DnsResponseWriter writer, ZoneSnapshot zone, scoped ReadOnlySpan<byte> questionName, ushort answers, int rcode, ref bool truncated)
    {
        // The apex is a suffix of the question name: point at it inside the question (RFC 1035 §4.1.4).
        var apexPointer = DnsConstants.HeaderLength + questionName.Length - zone.Apex.Length;
        if (!writer.TryWriteRecord(apexPointer, default, DnsType.Soa, DnsConstants.ClassIn, zone.NegativeTtl, zone.Soa.Rdata[0]))
        {
            truncated = true;
            return DnsRcode.NoError;
        }

        writer.SetCount(1, answers);
        writer.SetCount(2, 1);
        return rcode;
    }

    /// <summary>
    /// Appends the unsigned TSIG of a BADKEY answer (RFC 8945 §5.2.1, §5.3): the request's key name, algorithm, Time
    /// Signed and Fudge, MAC size 0, the request's Original ID, error BADKEY, no other data. 0 when it does not fit.
    /// </summary>
    private static int AppendBadKey(ReadOnlySpan<byte> query, Span<byte> response, int length, ParsedQuery q)
    {
        var timersLength = q.TsigAlgorithmLength + 8;
        var needed = q.TsigKeyNameLength + 10 + timersLength + 2 + 2 + 2 + 2;
        if (length + needed > response.Length)
        {
            return 0;
        }

        var span = response[length..];
        query.Slice(q.TsigOffset, q.TsigKeyNameLength).CopyTo(span);
        var p = q.TsigKeyNameLength;
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], Tsig.Type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 2)..], Tsig.ClassAny);
        BinaryPrimitives.WriteUInt32BigEndian(span[(p + 4)..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 8)..], (ushort)(timersLength + 8));
        p += 10;
        query.Slice(q.TsigRdataOffset, timersLength).CopyTo(span[p..]);
        p += timersLength;
        var macSize = BinaryPrimitives.ReadUInt16BigEndian(query[(q.TsigRdataOffset + timersLength)..]);
        var originalId = BinaryPrimitives.ReadUInt16BigEndian(query[(q.TsigRdataOffset + timersLength + 2 + macSize)..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 2)..], originalId);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 4)..], Tsig.BadKey);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 6)..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(response[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(response[10..]) + 1));
        return length + needed;
    }

    private static int Finish(ref DnsResponseWriter writer, ParsedQuery q, scoped ReadOnlySpan<byte> options, ushort flags, int rcode)
    {
        writer.SetFlags((ushort)(flags | (rcode & 0xF)));
        if (q.HasOpt)
        {
            writer.Limit += OptLength + options.Length;
            writer.TryWriteOpt(DnsConstants.DefaultEdnsUdpLimit, (byte)(rcode >> 4), q.DnssecOk, options);
            writer.SetCount(3, (ushort)(writer.GetCount(3) + 1));
        }

        return writer.Position;
    }
}
