namespace Holdfast.Dns.Transfer;

/// <summary>A copy of one zone's history taken under the journal's lock, for the <see cref="ZoneJournalWriter"/>.</summary>
/// <param name="Exists">False when the journal no longer holds the zone (it stopped being served).</param>
/// <param name="Epoch">Changes whenever the history starts over; steps of one epoch follow each other.</param>
/// <param name="Steps">The kept steps, oldest first.</param>
/// <param name="Adopted">When this history was read from the zone's file at its first publish: how much of the file that was.</param>
internal sealed record JournalCapture(bool Exists, long Epoch, IReadOnlyList<JournalStep> Steps, AdoptedFile? Adopted);
