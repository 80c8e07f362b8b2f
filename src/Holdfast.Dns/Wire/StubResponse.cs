namespace Holdfast.Dns.Wire;

/// <summary>
/// What a stub resolver learns from one response (see <see cref="DnsResponseReader.TryReadStubResponse"/>).
/// </summary>
/// <param name="Id">The message ID, to be matched against the query's (RFC 5452 §4.3).</param>
/// <param name="Rcode">The header RCODE (RFC 1035 §4.1.1).</param>
/// <param name="Truncated">TC=1: the answer did not fit and the query must be repeated over TCP (RFC 7766 §5).</param>
/// <param name="AddressCount">A and AAAA records of the answer section.</param>
/// <param name="AddressTtl">The smallest TTL of those records, in seconds (RFC 2181 §5.2: one TTL per RRset); 0 when there are none.</param>
/// <param name="NegativeTtl">RFC 2308 §5: for NXDOMAIN and NODATA, the smaller of the authority SOA's TTL and its MINIMUM; null without an SOA.</param>
public readonly record struct StubResponse(ushort Id, int Rcode, bool Truncated, int AddressCount, uint AddressTtl, uint? NegativeTtl);
