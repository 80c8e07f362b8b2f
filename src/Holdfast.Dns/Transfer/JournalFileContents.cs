namespace Holdfast.Dns.Transfer;

/// <summary>What <see cref="ZoneJournalFile.Read(string, ReadOnlySpan{byte})"/> found.</summary>
/// <param name="Steps">The steps read, oldest first (empty unless <see cref="JournalFileStatus.Read"/> or <see cref="JournalFileStatus.TornTail"/>).</param>
/// <param name="ValidLength">Octets of whole frames from the start: where a torn tail is cut off.</param>
/// <param name="TornLength">Octets after <paramref name="ValidLength"/> that belong to no whole frame.</param>
/// <param name="Problem">Why the file is corrupt, or null.</param>
internal sealed record JournalFileContents(JournalFileStatus Status, IReadOnlyList<JournalStep> Steps, long ValidLength, long TornLength, string? Problem);
