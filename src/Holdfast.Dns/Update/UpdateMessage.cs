using System.Collections.Immutable;
using Holdfast.Dns.Names;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Update;

/// <summary>
/// A DNS UPDATE message (RFC 2136 §2: opcode 5) or its response: the zone section's one zone, the prerequisite section
/// (the ANSWER section of RFC 1035) and the update section (AUTHORITY). The additional section is not used by
/// Holdfast; <see cref="Tsig"/> is the TSIG record when the message is signed (read side only; the writer signs).
/// Equality is by value (TSIG excluded: it is a property of one transmission).
/// </summary>
/// <param name="Zone">Lower-case wire name of the zone (RFC 2136 §2.3: ZNAME; ZTYPE is SOA, ZCLASS the zone's class).</param>
/// <param name="Rcode">0 in a request; the server's answer in a response.</param>
public sealed record UpdateMessage(
    ushort Id,
    bool IsResponse,
    int Rcode,
    byte[] Zone,
    ImmutableArray<ResourceRecord> Prerequisites,
    ImmutableArray<ResourceRecord> Updates,
    TsigRecord? Tsig = null)
{
    /// <summary>RFC 2136 §1.3: OPCODE 5.</summary>
    public const int Opcode = 5;

    /// <summary>A request for <paramref name="zone"/> (presentation form).</summary>
    public static UpdateMessage Request(ushort id, string zone, IEnumerable<ResourceRecord> prerequisites, IEnumerable<ResourceRecord> updates) =>
        new(id, false, 0, WireName.FromText(zone), [.. prerequisites], [.. updates]);

    public string ZoneText => WireName.ToText(Zone);

    public bool Equals(UpdateMessage? other) =>
        other is not null && Id == other.Id && IsResponse == other.IsResponse && Rcode == other.Rcode &&
        Zone.AsSpan().SequenceEqual(other.Zone) &&
        Prerequisites.SequenceEqual(other.Prerequisites) && Updates.SequenceEqual(other.Updates);

    public override int GetHashCode() => HashCode.Combine(Id, IsResponse, Rcode, Zone.Length, Prerequisites.Length, Updates.Length);

    public override string ToString() =>
        $"UPDATE id={Id} zone={ZoneText} rcode={Rcode}{(IsResponse ? " response" : "")}\n" +
        string.Concat(Prerequisites.Select(p => $"  prereq {p}\n")) + string.Concat(Updates.Select(u => $"  update {u}\n"));
}
