namespace Holdfast.Dns.Transfer;

/// <summary>What a persistent <see cref="ZoneJournal"/> reports about its files.</summary>
public enum JournalNoticeKind
{
    /// <summary>A zone's history was read at its first publish and lines up with what is served: IXFR answers from it.</summary>
    Loaded,

    /// <summary>A zone's history was read but does not end at the zone served now (serial or content): it is dropped, IXFR from older serials gets the whole zone.</summary>
    Discarded,

    /// <summary>The file ended in a write cut short (a crash while appending); the whole steps before it were kept and the tail was cut off.</summary>
    TornTailCut,

    /// <summary>The file could not be trusted: it was renamed aside and the zone's history starts empty.</summary>
    Corrupt,

    /// <summary>Writing the file failed; IXFR keeps answering from memory, and the file is rewritten on the next change.</summary>
    WriteFailed,
}
