using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Records;
using Holdfast.Dns.Update;
using Holdfast.Dns.Wire;

namespace Holdfast.Push;

/// <summary>
/// The pure decision of the push path: applied state and the server's answer in, an action and the fenced UPDATE out.
/// No I/O, no clock.
/// </summary>
/// <remarks>
/// <code>
/// applied                server marker   server records        action        prerequisite (RFC 2136 §2.4)
/// none / empty           any             any                   RefuseEmpty   —
/// g                      absent          any                   Push          marker name not in use (§2.4.5)
/// g                      m &lt; g          any                   Push          marker RRset is exactly "m" (§2.4.2)
/// g                      g               = applied, same TTL   InSync        —
/// g                      g               ≠ applied             Repair        marker RRset is exactly "g" (§2.4.2)
/// g                      m &gt; g          any                   ServerAhead   —
/// g                      not a number    any                   MarkerUnreadable —
/// </code>
/// The update section replaces the A, AAAA and marker RRsets whole (§2.5.2 delete RRset, then §2.5.1 adds) in one
/// message, which the server applies atomically or not at all (§3.4).
/// </remarks>
public static class PushDecider
{
    public static PushDecision Decide(ServedEndpoint applied, ServerView server, ushort messageId)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(server);
        if (applied.Generation == Generation.None || applied.Records.IsDefaultOrEmpty)
        {
            return new(PushAction.RefuseEmpty, $"{applied.Name} has no applied records: an empty RRset is never pushed", null);
        }

        if (server.MarkerUnreadable)
        {
            return new(PushAction.MarkerUnreadable, $"{GenerationMarker.OwnerOf(applied.Name)} holds {server.MarkerText}, not a generation", null);
        }

        if (server.Marker is { } marker && marker > applied.Generation)
        {
            return new(PushAction.ServerAhead, $"server has {marker}, newer than applied {applied.Generation}", null);
        }

        var desired = Desired(applied);
        if (server.Marker == applied.Generation)
        {
            if (desired.SequenceEqual(server.Records))
            {
                return new(PushAction.InSync, "", null);
            }

            return new(PushAction.Repair, $"server answers {Describe(server.Records)}; {applied.Generation} is {Describe(desired)}", Build(applied, desired, applied.Generation, messageId));
        }

        var from = server.Marker is { } m ? m.ToString() : "no marker";
        return new(PushAction.Push, $"{from} → {applied.Generation}", Build(applied, desired, server.Marker, messageId));
    }

    /// <summary>The applied records as the server should answer them: distinct addresses, sorted, each with the endpoint's TTL.</summary>
    public static IReadOnlyList<(IPAddress Address, uint Ttl)> Desired(ServedEndpoint applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var ttl = (uint)applied.Ttl;
        return [.. applied.Records.Select(r => r.Address).Distinct().Order(AddressComparer.Instance).Select(a => (a, ttl))];
    }

    /// <summary>The fenced UPDATE that replaces the endpoint's A, AAAA and marker RRsets (prerequisite on <paramref name="expected"/>).</summary>
    public static UpdateMessage Build(ServedEndpoint applied, IReadOnlyList<(IPAddress Address, uint Ttl)> desired, Generation? expected, ushort messageId)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Count == 0)
        {
            throw new ArgumentException($"{applied.Name}: an empty RRset is never pushed", nameof(desired));
        }

        var marker = GenerationMarker.OwnerOf(applied.Name);
        ResourceRecord prerequisite = expected is { } g
            ? UpdateRecords.RrsetExistsWithValue(marker, DnsType.Txt, GenerationMarker.Rdata(g))
            : UpdateRecords.NameNotInUse(marker);
        var ttl = (uint)applied.Ttl;
        List<ResourceRecord> updates =
        [
            UpdateRecords.DeleteRrset(applied.Name, DnsType.A),
            UpdateRecords.DeleteRrset(applied.Name, DnsType.Aaaa),
            .. desired.Select(d => UpdateRecords.Add(applied.Name, d.Address.AddressFamily == AddressFamily.InterNetwork ? DnsType.A : DnsType.Aaaa, d.Ttl, Rdata.Address(d.Address))),
            UpdateRecords.DeleteRrset(marker, DnsType.Txt),
            UpdateRecords.Add(marker, DnsType.Txt, ttl, GenerationMarker.Rdata(applied.Generation)),
        ];
        return UpdateMessage.Request(messageId, applied.Zone, [prerequisite], updates);
    }

    private static string Describe(IEnumerable<(IPAddress Address, uint Ttl)> records)
    {
        var list = records.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Address} ttl {r.Ttl}")).ToList();
        return list.Count == 0 ? "no address" : string.Join(", ", list);
    }
}
