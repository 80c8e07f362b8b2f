namespace Holdfast.Dns.Transfer;

/// <summary>
/// One step of a zone's history for IXFR (RFC 1995 §4): from the zone at <see cref="From"/>'s serial to the zone
/// at <see cref="To"/>'s serial, these records went away and these arrived. Immutable.
/// </summary>
public sealed record ZoneDiff(TransferRecord From, TransferRecord To, IReadOnlyList<TransferRecord> Deleted, IReadOnlyList<TransferRecord> Added)
{
    public uint FromSerial => SoaSerial(From);

    public uint ToSerial => SoaSerial(To);

    /// <summary>Records this step carries in an IXFR, its two SOAs included.</summary>
    public int RecordCount => Deleted.Count + Added.Count + 2;

    internal static uint SoaSerial(TransferRecord soa) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(soa.Rdata.AsSpan(soa.Rdata.Length - 20));
}
