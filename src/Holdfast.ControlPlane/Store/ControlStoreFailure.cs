namespace Holdfast.ControlPlane.Store;

/// <summary>Why a control store cannot be opened or used.</summary>
public enum ControlStoreFailure
{
    /// <summary>Another process holds the store (its data directory is locked).</summary>
    Locked,

    /// <summary>The store was written by a newer Holdfast (its schema version is unknown here).</summary>
    NewerSchema,

    /// <summary>The store's file is not a database, or fails its integrity check.</summary>
    Corrupt,

    /// <summary>Any other I/O failure.</summary>
    Io,
}
