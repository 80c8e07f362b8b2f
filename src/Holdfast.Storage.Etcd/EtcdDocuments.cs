namespace Holdfast.Storage.Etcd;

/// <summary>
/// The head of the store ({p}meta/head): the store revision (what the change feed and zone serials count), the sequence of
/// the newest audit entry, and the revision the change feed is compacted through. Every write transaction compares its
/// mod revision with the one it read and puts it again, so that the head serialises every write of every node.
/// </summary>
internal sealed record HeadDocument(long Revision, long Audit, long Compacted)
{
    public static HeadDocument Empty { get; } = new(0, 0, 0);
}

/// <summary>A zone's serving revision and the digest of its files' records ({p}serving/{apex}).</summary>
internal sealed record ServingDocument(long Revision, string? StaticDigest, long StaticChanges);
