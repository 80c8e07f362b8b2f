namespace Holdfast.Dns.Query;

/// <summary>
/// What the engine decided for one query, handed to the metrics observer so that it never reads the message again.
/// </summary>
/// <param name="ZoneApex">The apex (lower-case wire form, owned by the zone snapshot: do not change it) of the zone
/// the question fell in, or null when it fell in none or the query was not read that far.</param>
/// <param name="QuestionType">QTYPE, or 0 when the question was not readable.</param>
/// <param name="Rcode">The RCODE in the response header (four bits; an extended RCODE counts under its low bits).</param>
public readonly record struct QueryOutcome(byte[]? ZoneApex, ushort QuestionType, int Rcode);
