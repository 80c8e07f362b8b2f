namespace Holdfast.Dns.Transfer;

/// <summary>The part of a journal file a history was read from: its whole frames' length, how many steps they hold and the newest (null: none).</summary>
internal sealed record AdoptedFile(long Length, int Steps, ZoneDiff? Last);
