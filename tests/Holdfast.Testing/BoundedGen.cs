using FsCheck;
using FsCheck.Fluent;

namespace Holdfast.Testing;

/// <summary>
/// Generators of bounded length. FsCheck's <c>Where</c> retries a miss at a larger size, and a larger size makes
/// longer arrays, so a filter on length can retry without end (a property test that hung CI did so): draw the
/// length instead.
/// </summary>
public static class BoundedGen
{
    /// <summary>Arrays of <paramref name="min"/> to <paramref name="max"/> elements, the length drawn uniformly.</summary>
    public static Gen<T[]> ArrayOf<T>(this Gen<T> element, int min, int max) =>
        Gen.Choose(min, max).SelectMany(length => element.ArrayOf(length));
}
