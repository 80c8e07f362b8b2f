namespace Holdfast.ControlPlane.Store;

/// <summary>The digest of a zone's file records now recorded, how many times it changed, and whether this call changed it.</summary>
public sealed record StaticZoneVersion(string Apex, string Digest, long Changes, bool Changed);
