namespace Holdfast.Client;

/// <summary>
/// A <see cref="Random"/> shared by threads: <see cref="Random"/> itself is not thread-safe, so every draw takes a lock.
/// Seeded by the caller (tests, the simulator) or, at the composition root, from the system's entropy.
/// </summary>
public sealed class SeededRandom(Random random)
{
    private readonly Lock _gate = new();

    public SeededRandom(int seed)
        : this(new Random(seed))
    {
    }

    public int Next(int minValue, int maxValue)
    {
        lock (_gate)
        {
            return random.Next(minValue, maxValue);
        }
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble()
    {
        lock (_gate)
        {
            return random.NextDouble();
        }
    }
}
