namespace Holdfast.Dns.Query;

/// <summary>
/// What the engine decided for one query, handed to the metrics observer so that it never reads the message again.
/// </summary>
/// <param name="ZoneApex">The apex (lower-case wire form, owned by the zone snapshot: do not change it) of the zone
/// the question fell in, or null when it fell in none or the query was not read that far.</param>
/// <param name="QuestionType">QTYPE, or 0 when the question was not readable.</param>
/// <param name="Rcode">The RCODE in the response header (four bits; an extended RCODE counts under its low bits).</param>
/// <param name="ValidServerCookie">The query's COOKIE carried a server cookie this server made for the client's address,
/// still within RFC 9018 §4.3's window (verified during the one read of the query, over UDP only: the rate limiter is
/// its one reader); false without a cookie secret, and over TCP.</param>
public readonly record struct QueryOutcome(byte[]? ZoneApex, ushort QuestionType, int Rcode, bool ValidServerCookie = false);
