using FsCheck;
using FsCheck.Fluent;
using Holdfast.Dns.Transfer;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>RFC 1982 §3.2 serial comparison, including the examples of RFC 1982 §5.</summary>
public sealed class SerialNumberTests
{
    [Theory]
    [InlineData(1u, 2u, -1)]
    [InlineData(2u, 1u, 1)]
    [InlineData(5u, 5u, 0)]
    [InlineData(0xFFFF_FFFFu, 0u, -1)]          // wraps: 2^32 - 1 is before 0
    [InlineData(0u, 0x7FFF_FFFFu, -1)]          // 2^31 - 1 ahead is still after
    [InlineData(0x7FFF_FFFFu, 0u, 1)]
    [InlineData(100u, 0x8000_0065u, 1)]         // 2^31 + 1 ahead is in fact behind
    public void Compare_Examples_FollowRfc1982(uint s1, uint s2, int expected) =>
        SerialNumber.Compare(s1, s2).ShouldBe(expected);

    [Theory]
    [InlineData(0u, 0x8000_0000u)]
    [InlineData(7u, 0x8000_0007u)]
    public void Compare_ExactlyHalfwayApart_IsUndefined(uint s1, uint s2)
    {
        SerialNumber.Compare(s1, s2).ShouldBeNull();
        SerialNumber.IsBefore(s1, s2).ShouldBeFalse();
        SerialNumber.IsBefore(s2, s1).ShouldBeFalse();
    }

    [Fact]
    public void Compare_AnyPair_IsAntisymmetricAndAddingUpToHalfMovesForward()
    {
        Prop.ForAll<uint, uint>((a, b) =>
        {
            var ab = SerialNumber.Compare(a, b);
            var ba = SerialNumber.Compare(b, a);
            var step = (b % 0x7FFF_FFFFu) + 1;
            return (ab is null ? ba is null : ba == -ab) && SerialNumber.IsBefore(a, unchecked(a + step));
        }).QuickCheckThrowOnFailure();
    }
}
