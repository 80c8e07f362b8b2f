using System.Collections.Immutable;
using System.Net;

namespace Holdfast.Client.Resolution;

/// <summary>
/// A name that had addresses and now answers <see cref="Answer"/> (NXDOMAIN, NODATA or empty); the resolver serves
/// <see cref="HeldAddresses"/> until <see cref="HoldUntil"/> unless addresses come back first.
/// </summary>
public sealed record SuspectAnswer(string Name, ResolutionSource Answer, ImmutableArray<IPAddress> HeldAddresses, DateTimeOffset Since, DateTimeOffset HoldUntil);
