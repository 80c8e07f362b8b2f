namespace Holdfast.Push;

/// <summary>What a push target worker does for one endpoint, decided by <see cref="PushDecider"/>.</summary>
public enum PushAction
{
    /// <summary>The server answers exactly the applied records under the applied generation's marker.</summary>
    InSync,

    /// <summary>The server has an older generation, or none: send the fenced UPDATE.</summary>
    Push,

    /// <summary>The marker matches but the records do not (changed behind Holdfast's back): send the fenced UPDATE, report drift.</summary>
    Repair,

    /// <summary>Nothing is applied, or the applied records are empty: never push an empty RRset.</summary>
    RefuseEmpty,

    /// <summary>The server's marker is newer than the applied generation this worker read: leave it (the fence's other side).</summary>
    ServerAhead,

    /// <summary>The marker holds something that is not a generation: leave the endpoint to an operator.</summary>
    MarkerUnreadable,
}
