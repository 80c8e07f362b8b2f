namespace Holdfast.Dns.Transfer;

/// <summary>The state of a zone's journal file when it was read.</summary>
internal enum JournalFileStatus
{
    /// <summary>There is no file: the zone has no persisted history.</summary>
    Missing,

    /// <summary>Every frame is whole and checks.</summary>
    Read,

    /// <summary>The frames up to <see cref="JournalFileContents.ValidLength"/> check; what follows is a write cut short.</summary>
    TornTail,

    /// <summary>Not a journal of this zone, or damaged before its end: nothing of it can be trusted.</summary>
    Corrupt,
}
