namespace Holdfast.Dns.Transfer;

/// <summary>The part of a journal file a history was read from: its whole frames' length and the newest step in them (null: none).</summary>
internal sealed record AdoptedFile(long Length, ZoneDiff? Last);
