namespace Holdfast.ControlPlane.Store;

/// <summary>
/// The freeze switches: a global one and one per endpoint, each with the reason and who set it.
/// While frozen, conditional applies return <see cref="ApplyStatus.Frozen"/>; plans may still be written.
/// </summary>
public sealed record FreezeState(FreezeSwitch? Global, IReadOnlyDictionary<string, FreezeSwitch> Endpoints)
{
    public static FreezeState None { get; } = new(null, new Dictionary<string, FreezeSwitch>());

    /// <summary>The switch that freezes <paramref name="endpoint"/>, global first; null when it may change.</summary>
    public FreezeSwitch? For(string endpoint) => Global ?? (Endpoints.TryGetValue(endpoint, out var s) ? s : null);
}

/// <summary>One freeze switch that is on.</summary>
public sealed record FreezeSwitch(string Reason, string Actor, DateTimeOffset Since);
