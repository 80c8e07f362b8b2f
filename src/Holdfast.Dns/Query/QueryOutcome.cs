using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Query;

/// <summary>
/// What the engine decided for one query, handed to the metrics observer so that it never reads the message again.
/// </summary>
/// <param name="Zone">The zone the engine's own lookup placed the question in (the longest apex at or above the name; the
/// parent for DS at a cut served on both sides), which answered it or refused it (AXFR, IXFR, a class other than IN);
/// null when the question fell in no zone or was not read that far. The snapshot is the one the answer came from: an
/// observer that keys anything by it holds it no longer than the engine does (a weak table), since every update
/// replaces it.</param>
/// <param name="QuestionType">QTYPE, or 0 when the question was not readable.</param>
/// <param name="Rcode">The RCODE in the response header (four bits; an extended RCODE counts under its low bits).</param>
/// <param name="ValidServerCookie">The query's COOKIE carried a server cookie this server made for the client's address,
/// still within RFC 9018 §4.3's window (verified during the one read of the query, over UDP only: the rate limiter is
/// its one reader); false without a cookie secret, and over TCP.</param>
public readonly record struct QueryOutcome(ZoneSnapshot? Zone, ushort QuestionType, int Rcode, bool ValidServerCookie = false);
