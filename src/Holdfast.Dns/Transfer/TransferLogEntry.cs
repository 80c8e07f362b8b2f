using System.Net;

namespace Holdfast.Dns.Transfer;

/// <summary>One transfer served to the end: for logs, metrics and tests.</summary>
/// <param name="FromSerial">The client's serial for IXFR; null for AXFR.</param>
/// <param name="Records">Answer records sent, SOAs included.</param>
public sealed record TransferLogEntry(string Zone, TransferKind Kind, IPAddress Client, uint? FromSerial, uint ToSerial, int Messages, int Records, string? TsigKey);
