namespace Holdfast.ControlPlane.Model;

/// <summary>
/// A plan's number, from one durable, strictly increasing counter in the control store. Never reused,
/// even after a crash. <see cref="None"/> (0) means "nothing applied yet".
/// </summary>
public readonly record struct Generation(long Value) : IComparable<Generation>
{
    public static Generation None { get; } = new(0);

    public int CompareTo(Generation other) => Value.CompareTo(other.Value);

    public static bool operator <(Generation left, Generation right) => left.Value < right.Value;

    public static bool operator >(Generation left, Generation right) => left.Value > right.Value;

    public static bool operator <=(Generation left, Generation right) => left.Value <= right.Value;

    public static bool operator >=(Generation left, Generation right) => left.Value >= right.Value;

    public override string ToString() => "g" + Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
