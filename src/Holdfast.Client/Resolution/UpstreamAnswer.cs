using System.Net;

namespace Holdfast.Client.Resolution;

/// <summary>One upstream's reply to one question, or why there was none. Failures are values, not exceptions.</summary>
internal readonly record struct UpstreamAnswer(UpstreamFailure Failure, int Rcode, IReadOnlyList<IPAddress> Addresses, uint AddressTtl, uint? NegativeTtl)
{
    public bool Failed => Failure != UpstreamFailure.None;

    public static UpstreamAnswer Fail(UpstreamFailure failure) => new(failure, 0, [], 0, null);
}
