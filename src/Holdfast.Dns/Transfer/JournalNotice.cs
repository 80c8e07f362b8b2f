namespace Holdfast.Dns.Transfer;

/// <summary>One event of a persistent <see cref="ZoneJournal"/>, for the host's log.</summary>
/// <param name="Zone">The apex, e.g. <c>svc.example.</c>.</param>
/// <param name="Path">The zone's journal file.</param>
/// <param name="Detail">What happened, in words, e.g. <c>3 step(s), serials 4 -> 7</c>.</param>
public sealed record JournalNotice(JournalNoticeKind Kind, string Zone, string Path, string Detail)
{
    /// <summary>True for what an operator should look at (a corrupt file set aside, a failed write).</summary>
    public bool IsProblem => Kind is JournalNoticeKind.Corrupt or JournalNoticeKind.WriteFailed;

    /// <summary>One log line: <c>journal svc.example. loaded: 3 step(s), serials 4 -> 7 (/var/lib/holdfast/journal/svc.example.journal)</c>.</summary>
    public override string ToString() => $"journal {Zone} {Kind switch
    {
        JournalNoticeKind.Loaded => "loaded",
        JournalNoticeKind.Discarded => "discarded",
        JournalNoticeKind.TornTailCut => "torn tail cut",
        JournalNoticeKind.Corrupt => "corrupt",
        _ => "write failed",
    }}: {Detail} ({Path})";
}
