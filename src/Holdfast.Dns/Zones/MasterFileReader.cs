using System.Globalization;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Zones;

/// <summary>
/// Reads a zone from a master file (RFC 1035 §5) into a <see cref="ZoneSnapshot"/>. Never throws on bad
/// input: every problem comes back as a <see cref="MasterFileError"/> with file and line, and nothing is
/// built unless the whole file is good.
/// </summary>
/// <remarks>
/// <code>
/// form                                 meaning
/// $ORIGIN name                         later relative names end in name (itself relative to the current origin)
/// $TTL ttl                             TTL of later records that give none (RFC 2308 §4)
/// $INCLUDE file                        refused: a served zone is one file, so that a reload reads one thing
/// @                                    the current origin
/// name without a final dot             relative to the current origin
/// entry starting with a blank          same owner as the previous record
/// [ttl] [class] type data, either order class IN (or CLASS1); ttl as seconds or 1w2d3h4m5s
/// no ttl and no $TTL                   the last TTL given explicitly (RFC 1035 §5.1), else an error
/// ( … )                                one entry over several lines
/// ; comment, "quoted string", \X, \DDD as in RFC 1035 §5.1
/// TYPEnnn / \# len hex                 RFC 3597 §5 generic type and data
/// </code>
/// Zone rules checked: exactly one SOA, at the apex; every owner at or below the apex; a CNAME alone at its
/// name and single (RFC 1034 §3.6.2, RFC 2181 §10.1); identical records given twice are kept once (RFC 2181 §5).
/// </remarks>
public static class MasterFileReader
{
    /// <summary>Reading stops collecting problems after this many: the file needs fixing by then.</summary>
    public const int MaxErrors = 100;

    /// <summary>Reads and checks a whole zone.</summary>
    /// <param name="fileName">Used in error messages only.</param>
    /// <param name="apex">The zone's apex, and the initial $ORIGIN.</param>
    public static bool TryRead(string text, string fileName, string apex, out ZoneSnapshot? zone, out IReadOnlyList<MasterFileError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return TryRead(reader, fileName, apex, out zone, out errors);
    }

    /// <summary>
    /// Reads and checks a whole zone as <paramref name="reader"/> gives it: each record goes to the snapshot builder
    /// as it is read, so that neither the file's text nor a list of its records is held whole.
    /// </summary>
    /// <param name="fileName">Used in error messages only.</param>
    /// <param name="apex">The zone's apex, and the initial $ORIGIN.</param>
    public static bool TryRead(TextReader reader, string fileName, string apex, out ZoneSnapshot? zone, out IReadOnlyList<MasterFileError> errors)
    {
        zone = null;
        ZoneSnapshotBuilder? builder = null;
        ZoneRules? rules = null;
        var ruleProblems = new List<MasterFileError>();
        var read = ReadRecords(reader, fileName, apex, out errors, (apexWire, record) =>
        {
            builder ??= new ZoneSnapshotBuilder(apex);
            rules ??= new ZoneRules(apexWire, fileName, ruleProblems);

            // Once the zone has a problem nothing is built: the builder's work would be thrown away.
            if (!rules.Check(record) || ruleProblems.Count > 0)
            {
                return;
            }

            if (record.Type == DnsType.Soa)
            {
                builder.WithSoa(record.Ttl, record.Rdata);
            }
            else
            {
                builder.Add(record.Owner, record.Type, record.Ttl, record.Rdata);
            }
        });
        if (read is not { } lineCount)
        {
            return false;
        }

        (rules ?? new ZoneRules(WireName.FromText(apex), fileName, ruleProblems)).Finish(lineCount);
        if (ruleProblems.Count > 0)
        {
            errors = ruleProblems;
            return false;
        }

        zone = builder!.Build();
        return true;
    }

    /// <summary>Reads the records of a master file without the zone rules (each owner must still be in the zone).</summary>
    public static bool TryReadRecords(string text, string fileName, string apex, out List<ZoneRecord> records, out IReadOnlyList<MasterFileError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<ZoneRecord>();
        records = list;
        using var reader = new StringReader(text);
        return ReadRecords(reader, fileName, apex, out errors, (_, record) => list.Add(record)) is not null;
    }

    /// <summary>
    /// Passes each record of the file to <paramref name="onRecord"/> (with the apex in wire form) as it is read; the
    /// number of lines read when every entry was good, else null with the problems (at most <see cref="MaxErrors"/>).
    /// </summary>
    private static int? ReadRecords(TextReader reader, string fileName, string apex, out IReadOnlyList<MasterFileError> errors, Action<byte[], ZoneRecord> onRecord)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(apex);
        var problems = new List<MasterFileError>();
        errors = problems;
        if (!WireName.TryFromText(apex, out var apexWire, out var apexError))
        {
            problems.Add(new MasterFileError(fileName, 0, $"zone apex '{apex}' is not a domain name: {apexError}"));
            return null;
        }

        var state = new ReaderState(fileName, WireName.ToText(apexWire), apexWire, problems);
        var tokenizer = new MasterFileTokenizer(reader, fileName, problems);
        foreach (var entry in tokenizer.Entries())
        {
            if (problems.Count >= MaxErrors)
            {
                break;
            }

            if (state.Read(entry) is { } record && problems.Count == 0)
            {
                onRecord(apexWire, record);
            }
        }

        if (problems.Count > MaxErrors)
        {
            problems.RemoveRange(MaxErrors, problems.Count - MaxErrors);
        }

        return problems.Count == 0 ? tokenizer.LineCount : null;
    }

    /// <summary>
    /// The zone rules, checked record by record in file order, so that no list of every record is needed: exactly
    /// one SOA, at the apex; a CNAME alone at its name and single. Per owner it keeps two line numbers only.
    /// </summary>
    private sealed class ZoneRules(byte[] apex, string fileName, List<MasterFileError> problems)
    {
        private readonly Dictionary<byte[], OwnerLines> _owners = new(WireNameComparer.Instance);
        private ZoneRecord? _soa;

        /// <summary>False when the record breaks a rule (the problem is added); a record that breaks none is part of the zone.</summary>
        public bool Check(ZoneRecord record)
        {
            if (record.Type == DnsType.Soa)
            {
                if (!record.Owner.AsSpan().SequenceEqual(apex))
                {
                    return Fail(record, $"SOA at {WireName.ToText(record.Owner)}: the only SOA of a zone is at its apex {WireName.ToText(apex)} (RFC 1035 §5.2)");
                }

                if (_soa is not null && !_soa.Rdata.AsSpan().SequenceEqual(record.Rdata))
                {
                    return Fail(record, $"a second SOA (the first is on line {_soa.Line}): a zone has exactly one (RFC 1035 §5.2)");
                }

                _soa ??= record;
            }

            _owners.TryGetValue(record.Owner, out var seen);
            if (CnameProblem(record, seen) is { } cnameProblem)
            {
                return Fail(record, cnameProblem);
            }

            _owners[record.Owner] = new OwnerLines(seen.First > 0 ? seen.First : record.Line, seen.Cname > 0 || record.Type != DnsType.Cname ? seen.Cname : record.Line);
            return true;
        }

        /// <summary>After the last record: a zone without a SOA is refused at the file's last line.</summary>
        public void Finish(int lastLine)
        {
            if (_soa is null && problems.Count == 0)
            {
                problems.Add(new MasterFileError(fileName, lastLine, $"no SOA record at the apex {WireName.ToText(apex)}: a zone has exactly one (RFC 1035 §5.2)"));
            }
        }

        /// <summary>RFC 1034 §3.6.2 and RFC 2181 §10.1 (<see cref="CnameRule"/>) against the owner's records accepted before this one.</summary>
        private static string? CnameProblem(ZoneRecord record, OwnerLines seen)
        {
            // A conflicting record is never accepted, so an owner with a CNAME has that CNAME alone.
            var conflict = CnameRule.Check(record.Type, nameHasCname: seen.Cname > 0, nameHasOtherData: seen.First > 0 && seen.Cname == 0);
            if (conflict == CnameConflict.None)
            {
                return null;
            }

            var otherLine = conflict == CnameConflict.BesideOtherData && record.Type == DnsType.Cname ? seen.First : seen.Cname;
            return CnameRule.Describe(conflict, WireName.ToText(record.Owner), otherLine: otherLine);
        }

        private bool Fail(ZoneRecord record, string message)
        {
            problems.Add(new MasterFileError(fileName, record.Line, message));
            return false;
        }

        /// <summary>The line of the owner's first accepted record and of its CNAME (0: none yet).</summary>
        private readonly record struct OwnerLines(int First, int Cname);
    }

    /// <summary>What earlier entries set for later ones: origin, default TTL, previous owner and TTL.</summary>
    private static readonly HashSet<string> s_otherClasses = new(["CH", "CS", "HS", "NONE", "ANY"], StringComparer.OrdinalIgnoreCase);

    private sealed class ReaderState(string fileName, string initialOrigin, byte[] apex, List<MasterFileError> problems)
    {
        private readonly string _apexText = initialOrigin;
        private string _origin = initialOrigin;
        private uint? _defaultTtl;
        private uint? _lastTtl;
        private byte[]? _previousOwner;
        private string? _lastOwnerText;
        private string? _lastOwnerOrigin;

        public ZoneRecord? Read(MasterEntry entry)
        {
            var tokens = entry.Tokens;
            if (!entry.OwnerOmitted && !tokens[0].Quoted && tokens[0].Text.StartsWith('$'))
            {
                Directive(entry);
                return null;
            }

            var index = 0;
            byte[] owner;
            if (entry.OwnerOmitted)
            {
                if (_previousOwner is null)
                {
                    return Fail(entry.Line, "the owner is omitted (the line starts with a blank) but no record comes before it");
                }

                owner = _previousOwner;
            }
            else
            {
                // Records of one owner usually follow each other: resolve its text once.
                if (tokens[0].Text == _lastOwnerText && ReferenceEquals(_origin, _lastOwnerOrigin))
                {
                    owner = _previousOwner!;
                }
                else if (!RelativeName.TryResolve(tokens[0].Text, _origin, out owner, out var nameError))
                {
                    return Fail(tokens[0].Line, nameError);
                }

                index = 1;
            }

            if (!WireName.IsAtOrBelow(owner, apex))
            {
                return Fail(tokens[0].Line, $"{WireName.ToText(owner)} is outside the zone {_apexText}");
            }

            _previousOwner = owner;
            if (!entry.OwnerOmitted)
            {
                _lastOwnerText = tokens[0].Text;
                _lastOwnerOrigin = _origin;
            }
            uint? ttl = null;
            var classSeen = false;
            for (var k = 0; k < 2 && index < tokens.Count && !tokens[index].Quoted; k++)
            {
                var text = tokens[index].Text;
                if (ttl is null && char.IsAsciiDigit(text[0]))
                {
                    if (!RdataParser.TryParseTtl(text, out var value))
                    {
                        return Fail(tokens[index].Line, $"TTL '{text}' is not a time from 0 to 2147483647 seconds (units s m h d w allowed)");
                    }

                    ttl = value;
                    index++;
                }
                else if (!classSeen && IsClass(text, out var isIn))
                {
                    if (!isIn)
                    {
                        return Fail(tokens[index].Line, $"class {text}: only IN is served");
                    }

                    classSeen = true;
                    index++;
                }
                else
                {
                    break;
                }
            }

            if (index >= tokens.Count)
            {
                return Fail(tokens[^1].Line, "missing the record type");
            }

            var typeToken = tokens[index];
            if (typeToken.Quoted || !RecordTypes.TryParse(typeToken.Text, out var type))
            {
                return Fail(typeToken.Line, $"unknown record type '{typeToken.Text}' (a type Holdfast has no name for is written TYPEnnn with data \\# LENGTH HEX, RFC 3597 §5)");
            }

            if (!RecordTypes.IsDataType(type))
            {
                return Fail(typeToken.Line, $"{RecordTypes.Name(type)} is a meta or question type and cannot be zone data (RFC 6895 §3.1)");
            }

            if (ttl is { } explicitTtl)
            {
                _lastTtl = explicitTtl;
            }
            else
            {
                ttl = _defaultTtl ?? _lastTtl;
                if (ttl is null)
                {
                    return Fail(typeToken.Line, "no TTL: give one on this record or set $TTL before it");
                }
            }

            var data = tokens.GetRange(index + 1, tokens.Count - index - 1);
            if (!RdataParser.TryParse(type, data, _origin, out var rdata, out var error, out var bad))
            {
                var line = bad < data.Count ? data[bad].Line : data.Count > 0 ? data[^1].Line : typeToken.Line;
                return Fail(line, $"{RecordTypes.Name(type)} data: {error}");
            }

            // RDLENGTH is 16 bits (RFC 1035 §3.2.1): longer data could never be answered, and a snapshot cannot store it.
            if (rdata.Length > ushort.MaxValue)
            {
                return Fail(typeToken.Line, $"{RecordTypes.Name(type)} data is {rdata.Length} bytes: a record holds at most 65535 (RFC 1035 §3.2.1)");
            }

            return new ZoneRecord(owner, ttl.Value, type, rdata, entry.Line);
        }

        private void Directive(MasterEntry entry)
        {
            var tokens = entry.Tokens;
            var name = tokens[0].Text.ToUpperInvariant();
            switch (name)
            {
                case "$ORIGIN" when tokens.Count == 2:
                    if (RelativeName.TryResolve(tokens[1].Text, _origin, out var origin, out var error))
                    {
                        _origin = WireName.ToText(origin);
                    }
                    else
                    {
                        Fail(tokens[1].Line, "$ORIGIN: " + error);
                    }

                    break;
                case "$TTL" when tokens.Count == 2:
                    if (RdataParser.TryParseTtl(tokens[1].Text, out var ttl))
                    {
                        _defaultTtl = ttl;
                    }
                    else
                    {
                        Fail(tokens[1].Line, $"$TTL '{tokens[1].Text}' is not a time from 0 to 2147483647 seconds (units s m h d w allowed)");
                    }

                    break;
                case "$ORIGIN" or "$TTL":
                    Fail(entry.Line, $"{name} takes exactly one value");
                    break;
                case "$INCLUDE":
                    Fail(entry.Line, "$INCLUDE is not supported: Holdfast serves each zone from one file, so that a reload reads exactly what is served; put the included records in this file");
                    break;
                default:
                    Fail(entry.Line, $"unknown directive {tokens[0].Text} (known: $ORIGIN, $TTL)");
                    break;
            }
        }

        private static bool IsClass(string text, out bool isIn)
        {
            isIn = text.Equals("IN", StringComparison.OrdinalIgnoreCase) || text.Equals("CLASS1", StringComparison.OrdinalIgnoreCase);
            return isIn || s_otherClasses.Contains(text)
                || (text.Length > 5 && text.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase) && ushort.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out _));
        }

        private ZoneRecord? Fail(int line, string message)
        {
            problems.Add(new MasterFileError(fileName, line, message));
            return null;
        }
    }
}
