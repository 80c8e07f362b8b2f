namespace Holdfast.Dns.Transfer;

/// <summary>
/// A TSIG record as read from a request (RFC 8945 §4.2), with <see cref="Start"/> the offset of its owner name in
/// the message: everything before it is what the MAC covers.
/// </summary>
public sealed record TsigRecord(
    int Start,
    byte[] KeyName,
    byte[] Algorithm,
    ulong TimeSigned,
    ushort Fudge,
    byte[] Mac,
    ushort OriginalId,
    ushort Error,
    byte[] OtherData);
