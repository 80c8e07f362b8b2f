namespace Holdfast.Dns.Transfer;

/// <summary>One kept step of a zone's journal: the change, the <see cref="ZoneDigest"/> of the zone after it, and its size in the journal file.</summary>
internal readonly record struct JournalStep(ZoneDiff Diff, ulong DigestAfter, int FrameLength);
