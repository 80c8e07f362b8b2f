namespace Holdfast.Client.Resolution;

public sealed partial class HoldfastResolver
{
    /// <summary>
    /// One name's cache slot. <see cref="Entry"/> is swapped whole by the refresh that computed it (one refresh per
    /// name at a time, under <see cref="Gate"/>) and read without a lock by hits.
    /// </summary>
    private sealed class NameState(string name)
    {
        public readonly Lock Gate = new();
        public string Name { get; } = name;
        public volatile CacheEntry? Entry;
        public volatile SuspectAnswer? Suspect;
        public Task<NameResolution>? Refresh;

        /// <summary>Hits since the last fresh answer, for prefetch.</summary>
        public int Hits;
    }
}
