namespace Holdfast.Dns.Transfer;

/// <summary>What the transfer handler did since start. Thread-safe counters.</summary>
public sealed class ZoneTransferCounters
{
    private long _axfr;
    private long _ixfrIncremental;
    private long _ixfrFull;
    private long _ixfrUpToDate;
    private long _ixfrUdpSoaOnly;
    private long _refused;
    private long _tsigFailures;
    private long _notifyRefused;

    public long Axfr => Interlocked.Read(ref _axfr);

    public long IxfrIncremental => Interlocked.Read(ref _ixfrIncremental);

    public long IxfrFull => Interlocked.Read(ref _ixfrFull);

    public long IxfrUpToDate => Interlocked.Read(ref _ixfrUpToDate);

    public long IxfrUdpSoaOnly => Interlocked.Read(ref _ixfrUdpSoaOnly);

    /// <summary>Requests refused by address, missing TSIG, class, or a zone we do not serve.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Requests answered with a TSIG error (BADKEY, BADSIG, BADTIME, BADTRUNC).</summary>
    public long TsigFailures => Interlocked.Read(ref _tsigFailures);

    /// <summary>Incoming NOTIFY messages answered REFUSED (we are the primary).</summary>
    public long NotifyRefused => Interlocked.Read(ref _notifyRefused);

    internal void Count(TransferKind kind)
    {
        switch (kind)
        {
            case TransferKind.Axfr: Interlocked.Increment(ref _axfr); break;
            case TransferKind.IxfrIncremental: Interlocked.Increment(ref _ixfrIncremental); break;
            case TransferKind.IxfrFull: Interlocked.Increment(ref _ixfrFull); break;
            case TransferKind.IxfrUpToDate: Interlocked.Increment(ref _ixfrUpToDate); break;
            default: Interlocked.Increment(ref _ixfrUdpSoaOnly); break;
        }
    }

    internal void CountRefused() => Interlocked.Increment(ref _refused);

    internal void CountTsigFailure() => Interlocked.Increment(ref _tsigFailures);

    internal void CountNotifyRefused() => Interlocked.Increment(ref _notifyRefused);
}
