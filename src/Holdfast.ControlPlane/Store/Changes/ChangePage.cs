namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>
/// A page of the change feed. <paramref name="Revision"/> is where the reader resumes: everything up to it has been
/// delivered (it may be above the last change's revision when revisions without listed changes passed).
/// <paramref name="Compacted"/>: the revision asked for is older than the feed keeps; nothing is delivered, and the
/// reader must read the state it mirrors afresh and resume from <paramref name="Revision"/> (the current one).
/// </summary>
public sealed record ChangePage(IReadOnlyList<StoreChange> Changes, long Revision, bool Compacted = false);
