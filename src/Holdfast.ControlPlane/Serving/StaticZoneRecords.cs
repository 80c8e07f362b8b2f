using System.Security.Cryptography;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.ControlPlane.Serving;

/// <summary>
/// The static records of one zone, read by the host from its master files, with the digest of their content: the host records the
/// digest in the control store (<see cref="Store.IControlStore.SetStaticZoneAsync"/>), which moves the zone's serial when
/// the content changed, and the zone feed serves the records whose digest the store holds. Immutable.
/// </summary>
/// <remarks>
/// Rules, checked by <see cref="TryCheck"/> so that a bad file refuses start-up and a reload keeps the old data:
/// <code>
/// in a zone file                                  outcome
/// any record of any type (A, TXT, MX, SRV, …)     served as it is, beside the endpoints
/// NS at the apex                                  served together with the configured ns names
/// SOA                                             error: the SOA comes from zones[].soa; the serial is Holdfast's
/// A, AAAA or CNAME at a configured endpoint name  error: the endpoint owns its addresses (fail-open, last good
///                                                 answer); a static address there would shadow or mix with them
/// CNAME beside other data, CNAME at the apex      error (RFC 1034 §3.6.2, RFC 2181 §10.1: Dns.Records.CnameRule)
/// other types at an endpoint name (TXT, MX, …)    served beside the endpoint's addresses
/// </code>
/// An endpoint created later through the API at a name with static A, AAAA or CNAME records wins: those
/// static records are left out of the zone (<see cref="AppliedZoneBuilder"/>), never mixed with its answer.
/// </remarks>
public sealed class StaticZoneRecords
{
    public StaticZoneRecords(IReadOnlyList<ZoneRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Records = records;
        Digest = DigestOf(records);
    }

    public IReadOnlyList<ZoneRecord> Records { get; }

    /// <summary>SHA-256 of the records in a canonical order (hex): edits to comments, spacing or order change nothing.</summary>
    public string Digest { get; }

    /// <summary>
    /// Checks the records of zone <paramref name="apex"/>, as the host read them from its master files, against the rules
    /// above and the endpoint names of the zone. Errors come back as <c>file:line: message</c>. Never throws on bad input.
    /// </summary>
    public static bool TryCheck(string apex, IReadOnlyList<ZoneFileRecords> files, IReadOnlyCollection<string> endpointNames, out IReadOnlyList<ZoneRecord> records, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(apex);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(endpointNames);
        var all = new List<ZoneRecord>();
        var fileOf = new Dictionary<ZoneRecord, string>(ReferenceEqualityComparer.Instance);
        foreach (var file in files)
        {
            foreach (var record in file.Records)
            {
                fileOf[record] = file.File;
                all.Add(record);
            }
        }

        var problems = new List<string>();
        CheckRules(WireName.FromText(apex), all, fileOf, endpointNames, problems);
        records = problems.Count == 0 ? all : [];
        errors = problems;
        return problems.Count == 0;
    }

    private static void CheckRules(byte[] apex, List<ZoneRecord> records, Dictionary<ZoneRecord, string> fileOf, IReadOnlyCollection<string> endpointNames, List<string> problems)
    {
        var endpoints = endpointNames.Select(WireName.FromText).ToHashSet(WireNameComparer.Instance);
        var cnames = new Dictionary<byte[], ZoneRecord>(WireNameComparer.Instance);
        var others = new Dictionary<byte[], ZoneRecord>(WireNameComparer.Instance);
        foreach (var record in records)
        {
            var where = $"{fileOf[record]}:{record.Line}";
            var owner = WireName.ToText(record.Owner);
            if (record.Type == DnsType.Soa)
            {
                problems.Add($"{where}: SOA: the SOA of a zone served by holdfast up comes from zones[].soa, and its serial from Holdfast; remove this record");
                continue;
            }

            if (endpoints.Contains(record.Owner) && (record.Type is DnsType.A or DnsType.Aaaa or DnsType.Cname))
            {
                problems.Add($"{where}: {owner} is an endpoint: its addresses come from the applied plans, so a static {RecordTypes.Name(record.Type)} record there is not allowed (other types are)");
                continue;
            }

            // The apex's SOA and NS come from the configuration, not from these files: a CNAME there always has other data.
            if (record.Owner.AsSpan().SequenceEqual(apex) && CnameRule.Check(record.Type, nameHasCname: false, nameHasOtherData: true) != CnameConflict.None)
            {
                problems.Add($"{where}: {CnameRule.DescribeAtApex(owner)}");
                continue;
            }

            // A CNAME given identically in two files is one record (RFC 2181 §5), not a second CNAME.
            var cname = cnames.GetValueOrDefault(record.Owner);
            var hasCname = cname is not null && !(record.Type == DnsType.Cname && cname.Rdata.AsSpan().SequenceEqual(record.Rdata));
            var other = others.GetValueOrDefault(record.Owner);
            if (CnameRule.Check(record.Type, hasCname, other is not null) is not CnameConflict.None and var conflict)
            {
                var seen = hasCname ? cname! : other!;
                problems.Add($"{where}: {CnameRule.Describe(conflict, owner, fileOf[seen], seen.Line)}");
            }

            if (record.Type == DnsType.Cname)
            {
                cnames.TryAdd(record.Owner, record);
            }
            else
            {
                others.TryAdd(record.Owner, record);
            }
        }
    }

    private static string DigestOf(IReadOnlyList<ZoneRecord> records)
    {
        // Canonical: owner, type, TTL, RDATA of each record, sorted; line numbers are not content.
        var lines = records.Select(r => $"{WireName.ToText(r.Owner)} {r.Type} {r.Ttl} {Convert.ToHexString(r.Rdata)}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }
}
