using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// A request the transfer handler answers: AXFR, IXFR, NOTIFY, or any query carrying a TSIG record.
/// <see cref="QuestionName"/> is lower-case wire; the question as sent (case kept) is
/// <c>message[12..QuestionEnd]</c>.
/// </summary>
public sealed record TransferRequest(
    ushort Id,
    ushort Flags,
    byte[] QuestionName,
    ushort QuestionType,
    ushort QuestionClass,
    int QuestionEnd,
    bool HasOpt,
    ushort UdpPayloadSize,
    uint? ClientSerial,
    TsigRecord? Tsig)
{
    /// <summary>RFC 1035 §4.1.1 OPCODE.</summary>
    public int Opcode => (Flags >> 11) & 0xF;

    public bool IsNotify => Opcode == TransferRequestReader.OpcodeNotify;

    public bool IsTransfer => Opcode == 0 && QuestionType is DnsType.Axfr or DnsType.Ixfr;
}
